{{- define "advisor.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "advisor.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "advisor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "advisor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "advisor.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "advisor.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "advisor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "advisor.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Which models to serve: set only the URIs that are given (the service ignores blanks anyway). */}}
{{- define "advisor.modelEnv" -}}
{{- if .Values.modelUri }}
- name: MODEL_URI
  value: {{ .Values.modelUri | quote }}
{{- end }}
{{- if .Values.models.demandUri }}
- name: MODEL_URI_DEMAND
  value: {{ .Values.models.demandUri | quote }}
{{- end }}
{{- if .Values.models.anomalyUri }}
- name: MODEL_URI_ANOMALY
  value: {{ .Values.models.anomalyUri | quote }}
{{- end }}
{{- end -}}

{{/*
Credentials as references to Secrets that exist in the namespace (existingSecret names): the chart never
renders a Secret or a secret value, so `helm get values` and the release history hold no credentials.
*/}}
{{- define "advisor.secretRef" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef: {name: {{ .secret | quote }}, key: {{ .key | quote }}}
{{- end -}}

{{- define "advisor.secretEnv" -}}
{{- with .Values.s3.existingSecret }}
{{ include "advisor.secretRef" (dict "env" "AWS_ACCESS_KEY_ID" "secret" . "key" "AWS_ACCESS_KEY_ID") }}
{{ include "advisor.secretRef" (dict "env" "AWS_SECRET_ACCESS_KEY" "secret" . "key" "AWS_SECRET_ACCESS_KEY") }}
{{- end }}
{{- if .Values.rabbitmq.enabled }}
{{- with .Values.rabbitmq.existingSecret }}
{{ include "advisor.secretRef" (dict "env" "SPRING_RABBITMQ_USERNAME" "secret" . "key" "username") }}
{{ include "advisor.secretRef" (dict "env" "SPRING_RABBITMQ_PASSWORD" "secret" . "key" "password") }}
{{- end }}
{{- end }}
{{- if .Values.database.enabled }}
{{- with .Values.database.existingSecret }}
{{ include "advisor.secretRef" (dict "env" "SPRING_DATASOURCE_USERNAME" "secret" . "key" "username") }}
{{ include "advisor.secretRef" (dict "env" "SPRING_DATASOURCE_PASSWORD" "secret" . "key" "password") }}
{{- end }}
{{- end }}
{{- if .Values.redis.enabled }}
{{- with .Values.redis.existingSecret }}
{{ include "advisor.secretRef" (dict "env" "SPRING_DATA_REDIS_PASSWORD" "secret" . "key" "password") }}
{{- end }}
{{- end }}
{{- with .Values.llm.existingSecret }}
{{- if $.Values.vault.enabled }}
{{- fail "llm.existingSecret is for installs without Vault: with vault.enabled the LLM key comes from Vault (advisor.llm.<provider>.api-key)" }}
{{- end }}
{{- if eq $.Values.llm.provider "none" }}
{{- fail "llm.existingSecret is set but llm.provider is none: set llm.provider to openai or azure" }}
{{- end }}
{{ include "advisor.secretRef" (dict "env" (include "advisor.llmKeyEnv" $) "secret" . "key" $.Values.llm.apiKeyKey) }}
{{- end }}
{{- if .Values.registryEvents.enabled }}
{{- with .Values.registryEvents.existingSecret }}
{{- if $.Values.vault.enabled }}
{{- fail "registryEvents.existingSecret is for installs without Vault: with vault.enabled the broker URI comes from Vault (advisor.models.events.amqp-uri)" }}
{{- end }}
{{ include "advisor.secretRef" (dict "env" "REGISTRY_EVENTS_AMQP_URI" "secret" . "key" $.Values.registryEvents.uriKey) }}
{{- else }}
{{- if not $.Values.vault.enabled }}
{{- fail "registryEvents.enabled needs registryEvents.existingSecret: a Secret whose key registryEvents.uriKey holds the broker URI (amqp://user:pass@host:5672), or vault.enabled with the URI in Vault" }}
{{- end }}
{{- end }}
{{- end }}
{{- with .Values.security.existingSecret }}
{{ include "advisor.secretRef" (dict "env" "ADVISOR_SECURITY_ADMIN_TOKEN" "secret" . "key" "admin-token") }}
- name: ADVISOR_SECURITY_READ_TOKEN
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: "read-token", optional: true}
- name: ADVISOR_SECURITY_FEEDBACK_TOKEN
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: "feedback-token", optional: true}
{{- end }}
{{- with .Values.shadow.canaryExistingSecret }}
{{ include "advisor.secretRef" (dict "env" "ADVISOR_SHADOW_CANARY_SECRET" "secret" . "key" "canary-secret") }}
{{- end }}
{{- if .Values.vault.enabled }}
{{- with .Values.vault.existingSecret }}
{{- if eq $.Values.vault.authentication "TOKEN" }}
{{ include "advisor.secretRef" (dict "env" "SPRING_CLOUD_VAULT_TOKEN" "secret" . "key" "token") }}
{{- else if eq $.Values.vault.authentication "APPROLE" }}
{{ include "advisor.secretRef" (dict "env" "SPRING_CLOUD_VAULT_APP_ROLE_ROLE_ID" "secret" . "key" "role-id") }}
{{ include "advisor.secretRef" (dict "env" "SPRING_CLOUD_VAULT_APP_ROLE_SECRET_ID" "secret" . "key" "secret-id") }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* One egress rule: TCP to the given ports, to the rule's peers (none listed = any destination). */}}
{{- define "advisor.egressRule" }}
{{- if not .ports }}
{{- fail (printf "networkPolicy.egress.%s.ports is empty: a rule without ports would open every port" .name) }}
{{- end }}
{{- if not .rule.to }}
{{- fail (printf "networkPolicy.egress.%s.to is empty: a rule without destinations would allow every address; name the service's pods, namespace or CIDRs (e.g. to[0].ipBlock.cidr)" .name) }}
{{- end }}
    - ports:
        {{- range .ports }}
        - {port: {{ . }}, protocol: TCP}
        {{- end }}
      to:
        {{- toYaml .rule.to | nindent 8 }}
{{- end -}}

{{/* The env variable that carries the LLM provider's API key (llm.existingSecret, with Vault off). */}}
{{- define "advisor.llmKeyEnv" -}}
{{- if eq .Values.llm.provider "azure" -}}ADVISOR_LLM_AZURE_API_KEY{{- else -}}ADVISOR_LLM_OPENAI_API_KEY{{- end -}}
{{- end -}}
