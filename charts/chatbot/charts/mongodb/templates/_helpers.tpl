{{/* Names and labels of the mongodb chart. */}}
{{- define "mongodb.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mongodb.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mongodb.labels" -}}
{{ include "mongodb.selectorLabels" . }}
app.kubernetes.io/component: database
app.kubernetes.io/part-of: {{ .Values.global.partOf | default "chatbot" }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is set (the digest wins). */}}
{{- define "mongodb.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (required "mongodb.image.tag or mongodb.image.digest must be set (a pinned release, never latest)" .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "mongodb.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "mongodb.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "mongodb.authSecretName" -}}
{{- if .Values.auth.externalSecret.enabled -}}
{{- printf "%s-auth" (include "mongodb.fullname" .) -}}
{{- else -}}
{{- required "mongodb.auth.existingSecret (a Secret with username and password) or mongodb.auth.externalSecret.enabled is required: the chart never generates or stores a database password" .Values.auth.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "mongodb.annotations" -}}
{{- with .Values.commonAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
