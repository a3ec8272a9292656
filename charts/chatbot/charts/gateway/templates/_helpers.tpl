{{/* Names and labels of the gateway chart. */}}
{{- define "gateway.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "gateway.labels" -}}
{{ include "gateway.selectorLabels" . }}
app.kubernetes.io/component: gateway
app.kubernetes.io/part-of: {{ .Values.global.partOf | default "chatbot" }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is set (the digest wins). */}}
{{- define "gateway.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (required "gateway.image.tag or gateway.image.digest must be set (a pinned release, never latest)" .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "gateway.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "gateway.upstreamHost" -}}
{{- $u := index .root.Values.config.upstreams .name -}}
{{- $u.host | default (printf "%s-%s.%s.svc.%s" .root.Release.Name .name .root.Release.Namespace .root.Values.config.clusterDomain) -}}
{{- end -}}

{{- define "gateway.exporterImage" -}}
{{- if .Values.metrics.image.digest -}}
{{- printf "%s@%s" .Values.metrics.image.repository .Values.metrics.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.metrics.image.repository .Values.metrics.image.tag -}}
{{- end -}}
{{- end -}}
