{{- define "registry.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "registry.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "registry.selectorLabels" -}}
app.kubernetes.io/name: {{ include "registry.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "registry.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{ include "registry.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "registry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "registry.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* A credential as a reference to a Secret that exists in the namespace: the chart renders no secret value. */}}
{{- define "registry.secretRef" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef: {name: {{ .secret | quote }}, key: {{ .key | quote }}}
{{- end -}}

{{/* Each webhook as REGISTRY_WEBHOOKS_<n>_NAME / _URL / _SECRET, the secret by reference; names must differ. */}}
{{- define "registry.webhookEnv" -}}
{{- $names := dict }}
{{- range $i, $h := .Values.webhooks }}
{{- $name := $h.name | default (printf "webhook-%d" (add1 $i)) }}
{{- if hasKey $names $name }}
{{- fail (printf "webhooks: the name %s is used twice (names tell the webhooks apart in the console and the metrics)" $name) }}
{{- end }}
{{- $_ := set $names $name true }}
{{- with $h.name }}
- name: REGISTRY_WEBHOOKS_{{ $i }}_NAME
  value: {{ . | quote }}
{{- end }}
- name: REGISTRY_WEBHOOKS_{{ $i }}_URL
  value: {{ $h.url | quote }}
{{ include "registry.secretRef" (dict "env" (printf "REGISTRY_WEBHOOKS_%d_SECRET" $i) "secret" $h.secretName "key" $h.secretKey) }}
{{- end }}
{{- end -}}
