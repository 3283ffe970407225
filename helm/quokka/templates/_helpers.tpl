{{/* The chart's name, or nameOverride. */}}
{{- define "quokka.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's resources: <release>-quokka, or the release name when it already says quokka. */}}
{{- define "quokka.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "quokka.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "quokka.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "quokka.selectorLabels" -}}
app.kubernetes.io/name: {{ include "quokka.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The pods of one role ("primary" or "replica"): (list $ role). */}}
{{- define "quokka.roleLabels" -}}
{{ include "quokka.selectorLabels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* The Sentinels: a name of their own, so that no selector of the data pods picks them. */}}
{{- define "quokka.sentinelLabels" -}}
app.kubernetes.io/name: {{ include "quokka.name" . }}-sentinel
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: sentinel
{{- end }}

{{- define "quokka.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "quokka.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The Secret holding the password. */}}
{{- define "quokka.secretName" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecret }}{{ else }}{{ include "quokka.fullname" . }}-auth{{ end }}
{{- end }}

{{- define "quokka.secretKey" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretKey }}{{ else }}password{{ end }}
{{- end }}

{{- define "quokka.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}
