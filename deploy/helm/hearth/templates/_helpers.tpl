{{/*
Names and labels shared by every template. The release name prefixes each object, unless it
already says hearth.
*/}}
{{- define "hearth.fullname" -}}
{{- if contains "hearth" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-hearth" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "hearth.labels" -}}
app.kubernetes.io/part-of: hearth
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* The label selector the gateway discovers engine pods by; engine pods carry these labels. */}}
{{- define "hearth.engineSelector" -}}
app.kubernetes.io/name=hearth-engine,app.kubernetes.io/instance={{ .Release.Name }}
{{- end -}}

{{- define "hearth.redisUrl" -}}
redis://{{ include "hearth.fullname" . }}-redis:{{ .Values.redis.port }}
{{- end -}}

{{/* vLLM's and SGLang's --kv-events-config: a ZeroMQ publisher bound on every address of the pod. */}}
{{- define "hearth.kvEventsConfig" -}}
{"enable_kv_cache_events":true,"publisher":"zmq","endpoint":"tcp://*:{{ .Values.engine.kvEventsPort }}","topic":"kv-events"}
{{- end -}}
