{{/* Names and labels of the umbrella chart's own resources (Ingresses, default-deny policy). */}}
{{- define "chatbot.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: {{ .Values.global.partOf }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "chatbot.gatewayService" -}}
{{- .Values.gateway.fullnameOverride | default (printf "%s-gateway" .Release.Name) -}}
{{- end -}}

{{/* Annotations every ALB Ingress of the release carries (listeners, TLS, targets). */}}
{{- define "chatbot.albCommon" -}}
alb.ingress.kubernetes.io/target-type: ip
alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]'
alb.ingress.kubernetes.io/ssl-redirect: "443"
alb.ingress.kubernetes.io/certificate-arn: {{ required "ingress.alb.certificateArn is required: the ACM certificate for ingress.hosts (platform_outputs.platform.certificate_arn)" .Values.ingress.alb.certificateArn | quote }}
alb.ingress.kubernetes.io/ssl-policy: {{ .Values.ingress.alb.sslPolicy | quote }}
alb.ingress.kubernetes.io/healthcheck-path: /healthz
alb.ingress.kubernetes.io/backend-protocol: HTTP
{{- with .Values.ingress.alb.loadBalancerAttributes }}
alb.ingress.kubernetes.io/load-balancer-attributes: {{ . | quote }}
{{- end }}
{{- end -}}

{{/* ALB authentication annotations for the admin Ingress (empty when auth.type is none). */}}
{{- define "chatbot.albAuth" -}}
{{- $a := .Values.ingress.admin.auth -}}
{{- if eq $a.type "oidc" }}
alb.ingress.kubernetes.io/auth-type: oidc
alb.ingress.kubernetes.io/auth-idp-oidc: {{ dict "issuer" (required "ingress.admin.auth.oidc.issuer is required" $a.oidc.issuer) "authorizationEndpoint" (required "ingress.admin.auth.oidc.authorizationEndpoint is required" $a.oidc.authorizationEndpoint) "tokenEndpoint" (required "ingress.admin.auth.oidc.tokenEndpoint is required" $a.oidc.tokenEndpoint) "userInfoEndpoint" (required "ingress.admin.auth.oidc.userInfoEndpoint is required" $a.oidc.userInfoEndpoint) "secretName" (required "ingress.admin.auth.oidc.secretName is required (a Secret with clientID and clientSecret)" $a.oidc.secretName) | toJson | quote }}
{{- else if eq $a.type "cognito" }}
alb.ingress.kubernetes.io/auth-type: cognito
alb.ingress.kubernetes.io/auth-idp-cognito: {{ dict "userPoolARN" (required "ingress.admin.auth.cognito.userPoolArn is required" $a.cognito.userPoolArn) "userPoolClientID" (required "ingress.admin.auth.cognito.userPoolClientId is required" $a.cognito.userPoolClientId) "userPoolDomain" (required "ingress.admin.auth.cognito.userPoolDomain is required" $a.cognito.userPoolDomain) | toJson | quote }}
{{- end }}
{{- if ne $a.type "none" }}
alb.ingress.kubernetes.io/auth-on-unauthenticated-request: authenticate
alb.ingress.kubernetes.io/auth-scope: {{ $a.scope | quote }}
alb.ingress.kubernetes.io/auth-session-timeout: {{ $a.sessionTimeoutSeconds | quote }}
{{- end }}
{{- end -}}

{{/* One rule per host: the given paths to the given backend. */}}
{{- define "chatbot.rules" -}}
{{- range .hosts }}
- host: {{ . | quote }}
  http:
    paths:
      {{- range $.paths }}
      - path: {{ .path }}
        pathType: Prefix
        backend:
          service:
            name: {{ .service }}
            port:
              {{- if kindIs "string" .port }}
              name: {{ .port }}
              {{- else }}
              number: {{ .port }}
              {{- end }}
      {{- end }}
{{- end }}
{{- end -}}

{{/* argocd.argoproj.io/sync-wave of every Ingress (ingress.syncWave; nothing when it is empty). */}}
{{- define "chatbot.ingressSyncWave" -}}
{{- if ne (toString .Values.ingress.syncWave) "" -}}
argocd.argoproj.io/sync-wave: {{ toString .Values.ingress.syncWave | quote }}
{{- end -}}
{{- end -}}
