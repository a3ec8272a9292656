{{/* Names and labels of the backend chart. */}}
{{- define "backend.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "backend.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "backend.labels" -}}
{{ include "backend.selectorLabels" . }}
app.kubernetes.io/component: api
app.kubernetes.io/part-of: {{ .Values.global.partOf | default "chatbot" }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* repository:tag, or repository@digest when a digest is set (the digest wins). */}}
{{- define "backend.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (required "backend.image.tag or backend.image.digest must be set (a pinned release, never latest)" .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{- define "backend.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "backend.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The Secret and key holding the MongoDB URI. */}}
{{- define "backend.databaseSecretName" -}}
{{- if .Values.database.externalSecret.enabled -}}
{{- printf "%s-mongodb" (include "backend.fullname" .) -}}
{{- else -}}
{{- required "backend.database.existingSecret.name (a Secret with the MongoDB URI) or backend.database.externalSecret.enabled is required" .Values.database.existingSecret.name -}}
{{- end -}}
{{- end -}}

{{- define "backend.databaseSecretKey" -}}
{{- if .Values.database.externalSecret.enabled -}}uri{{- else -}}{{ .Values.database.existingSecret.key }}{{- end -}}
{{- end -}}

{{/*
Refuse values that render a broken deployment: several replicas (or an HPA) on a model volume that only
one node can mount or that is not shared at all.
*/}}
{{- define "backend.validate" -}}
{{- $shared := and .Values.persistence.enabled (eq .Values.persistence.accessMode "ReadWriteMany") -}}
{{- if and .Values.autoscaling.enabled (not $shared) -}}
{{- fail (printf "backend.autoscaling.enabled needs a shared model volume: set backend.persistence.enabled=true and backend.persistence.accessMode=ReadWriteMany (EFS). Training writes the models in one pod; with %s every replica would serve different or missing models." (ternary "persistence disabled (emptyDir)" (printf "accessMode %s" .Values.persistence.accessMode) (not .Values.persistence.enabled))) -}}
{{- end -}}
{{- if and (gt (int .Values.replicaCount) 1) (not $shared) -}}
{{- fail (printf "backend.replicaCount=%d needs a shared model volume: set backend.persistence.accessMode=ReadWriteMany (EFS) with persistence enabled, or run one replica." (int .Values.replicaCount)) -}}
{{- end -}}
{{- if and .Values.database.externalSecret.enabled (not .Values.database.externalSecret.remoteKey) -}}
{{- fail "backend.database.externalSecret.remoteKey is required: the AWS Secrets Manager secret holding the MongoDB URI (for example chatbot/prod/mongodb)" -}}
{{- end -}}
{{- if hasKey .Values.deploymentAnnotations "argocd.argoproj.io/sync-wave" -}}
{{- fail "backend.deploymentAnnotations must not carry argocd.argoproj.io/sync-wave: set backend.syncWave, which the model volume claim takes too (a claim in an earlier wave than its pod never binds)" -}}
{{- end -}}
{{- if and .Values.migrate.enabled (eq .Values.migrate.mode "syncWave") (or (eq (toString .Values.syncWave) "") (le (int .Values.syncWave) (int .Values.migrate.syncWave))) -}}
{{- fail (printf "backend.migrate.mode=syncWave runs the migration in wave %d: backend.syncWave must be a later wave, so the API starts on a migrated database" (int .Values.migrate.syncWave)) -}}
{{- end -}}
{{- if and .Values.networkPolicy.enabled (eq .Values.networkPolicy.database.route "privateEndpoint") (not .Values.networkPolicy.database.privateEndpointAddresses) -}}
{{- fail "backend.networkPolicy.database.route=privateEndpoint needs privateEndpointAddresses: the Atlas interface endpoint's addresses, one /32 each" -}}
{{- end -}}
{{- end -}}

{{/* argocd.argoproj.io/sync-wave for a wave value (nothing when it is empty). */}}
{{- define "backend.syncWaveAnnotation" -}}
{{- if ne (toString .) "" }}
argocd.argoproj.io/sync-wave: {{ toString . | quote }}
{{- end }}
{{- end -}}

{{/*
Annotations of what the migration Job needs (its ServiceAccount and NetworkPolicy, the database
ExternalSecret): created before the Job. In hook mode they are pre-install/pre-upgrade hooks of a lower
weight (Argo CD: PreSync, the weight as the wave); in syncWave mode they are in the wave before the Job's.
*/}}
{{- define "backend.migrateDependencyAnnotations" -}}
{{- if eq .Values.migrate.mode "hook" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: "-10"
helm.sh/hook-delete-policy: before-hook-creation
{{- else -}}
argocd.argoproj.io/sync-wave: {{ sub (int .Values.migrate.syncWave) 1 | toString | quote }}
{{- end -}}
{{- end -}}

{{- define "backend.migrateServiceAccountName" -}}
{{- printf "%s-migrate" (include "backend.fullname" . | trunc 55 | trimSuffix "-") -}}
{{- end -}}

{{/* The internet as a NetworkPolicy peer: any address outside internetExceptCidrs. */}}
{{- define "backend.internetPeer" -}}
- ipBlock:
    cidr: 0.0.0.0/0
    except:
      {{- toYaml .Values.networkPolicy.internetExceptCidrs | nindent 6 }}
{{- end -}}

{{/* Environment shared by the API pods and the migration Job. */}}
{{- define "backend.env" -}}
- name: APPLICATION_ENV
  value: {{ .Values.config.applicationEnv | quote }}
- name: SPACY_LANG_MODEL
  value: {{ .Values.config.spacyModel | quote }}
- name: MONGODB_DATABASE
  value: {{ .Values.config.databaseName | quote }}
- name: MODELS_DIR
  value: {{ .Values.config.modelsDir | quote }}
- name: MONGODB_HOST
  valueFrom:
    secretKeyRef:
      name: {{ include "backend.databaseSecretName" . }}
      key: {{ include "backend.databaseSecretKey" . }}
# The root filesystem is read-only: caches (spaCy, tiktoken, pip) go to the /tmp volume.
- name: HOME
  value: /tmp
- name: PYTHONDONTWRITEBYTECODE
  value: "1"
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod placement shared by the API pods and the migration Job (both load spaCy). */}}
{{- define "backend.placement" -}}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "backend.claimName" -}}
{{- .Values.persistence.existingClaim | default (printf "%s-models" (include "backend.fullname" .)) -}}
{{- end -}}

{{/* Labels of the migration Job and its pod: a name of their own, so no Service, PDB or policy of the API selects them. */}}
{{- define "backend.migrateLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}-migrate
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: migrate
app.kubernetes.io/part-of: {{ .Values.global.partOf | default "chatbot" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Egress of the API pods and the migration Job: cluster DNS and MongoDB (backend.networkPolicy.database.route). */}}
{{- define "backend.egressRules" -}}
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- $db := .Values.networkPolicy.database }}
{{- if eq $db.route "public" }}
# MongoDB Atlas through its public SRV address.
- to:
    {{- include "backend.internetPeer" . | nindent 4 }}
  ports:
    {{- range $db.publicPorts }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- else if eq $db.route "privateEndpoint" }}
# The Atlas PrivateLink interface endpoint.
- to:
    {{- range $db.privateEndpointAddresses }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    - port: {{ $db.privateEndpointPorts.port }}
      {{- with $db.privateEndpointPorts.endPort }}
      endPort: {{ . }}
      {{- end }}
      protocol: TCP
{{- else }}
# The in-cluster database.
- to:
    - podSelector:
        matchLabels:
          {{- if $db.inClusterPodLabels }}
          {{- toYaml $db.inClusterPodLabels | nindent 10 }}
          {{- else }}
          app.kubernetes.io/name: mongodb
          app.kubernetes.io/instance: {{ .Release.Name }}
          {{- end }}
  ports:
    - port: 27017
      protocol: TCP
{{- end }}
{{- end -}}
