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

{{- define "gateway.accessLogExporterImage" -}}
{{- $i := .Values.metrics.accessLog.image -}}
{{- if $i.digest -}}
{{- printf "%s@%s" $i.repository $i.digest -}}
{{- else -}}
{{- printf "%s:%s" $i.repository $i.tag -}}
{{- end -}}
{{- end -}}

{{/* Settings both nginx listeners share. */}}
{{- define "gateway.serverSettings" -}}
{{- $c := .Values.config -}}
client_max_body_size {{ $c.clientMaxBodySize }};
# Redirects nginx makes itself (GET /api -> /api/) stay relative: no container port, no http:// behind TLS.
absolute_redirect off;

set $frontend_upstream http://{{ include "gateway.upstreamHost" (dict "root" . "name" "frontend") }}:{{ $c.upstreams.frontend.port }};
set $backend_upstream http://{{ include "gateway.upstreamHost" (dict "root" . "name" "backend") }}:{{ $c.upstreams.backend.port }};

add_header X-Content-Type-Options "nosniff" always;
add_header X-Frame-Options "SAMEORIGIN" always;
add_header Referrer-Policy "strict-origin-when-cross-origin" always;
add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always;
{{- if gt (int64 $c.hstsMaxAge) 0 }}
add_header Strict-Transport-Security "max-age={{ int64 $c.hstsMaxAge }}; includeSubDomains" always;
{{- end }}
{{- with $c.contentSecurityPolicy }}
add_header Content-Security-Policy {{ . | quote }} always;
{{- end }}
{{- end -}}

{{/* The routes both nginx listeners serve. */}}
{{- define "gateway.locations" -}}
location = /healthz {
  access_log off;
  default_type text/plain;
  return 200 "ok\n";
}

location /api/ {
  rewrite ^/api/(.*)$ /$1 break;
  proxy_pass $backend_upstream;
  proxy_http_version 1.1;
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
  proxy_read_timeout {{ .Values.config.proxyReadTimeout }};
}

location / {
  proxy_pass $frontend_upstream;
  proxy_http_version 1.1;
  proxy_set_header Upgrade $http_upgrade;
  proxy_set_header Connection $connection_upgrade;
  proxy_set_header Host $host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
  proxy_cache_bypass $http_upgrade;
}
{{- end -}}

{{/* argocd.argoproj.io/sync-wave for a wave value (nothing when it is empty): the Deployment, its HPA and PDB. */}}
{{- define "gateway.syncWaveAnnotation" -}}
{{- if ne (toString .) "" }}
argocd.argoproj.io/sync-wave: {{ toString . | quote }}
{{- end }}
{{- end -}}
