{{/* A participant's namespace. */}}
{{- define "failure-lab.namespace" -}}
{{ .root.Values.namespacePrefix }}{{ .participant }}
{{- end -}}

{{/* The labels every object carries; "name" is the service's. */}}
{{- define "failure-lab.labels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: failure-lab
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
failure-lab.dev/participant: {{ .participant }}
{{- end -}}

{{/* A pod's security: never root, no privilege escalation, the runtime's default seccomp profile. */}}
{{- define "failure-lab.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ .uid }}
  runAsGroup: {{ .uid }}
  fsGroup: {{ .uid }}
  seccompProfile:
    type: RuntimeDefault
{{- end -}}

{{- define "failure-lab.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  capabilities:
    drop: ["ALL"]
{{- end -}}

{{/* Prometheus's scrape annotations: the actuator on the management port. */}}
{{- define "failure-lab.scrape" -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /actuator/prometheus
{{- end -}}

{{/* Spring Boot's probes on the management port (named "management"). */}}
{{- define "failure-lab.probes" -}}
startupProbe:
  httpGet: {path: /actuator/health/liveness, port: management}
  periodSeconds: 5
  failureThreshold: 36
livenessProbe:
  httpGet: {path: /actuator/health/liveness, port: management}
  periodSeconds: 10
  failureThreshold: 3
readinessProbe:
  httpGet: {path: /actuator/health/readiness, port: management}
  periodSeconds: 5
  failureThreshold: 3
{{- end -}}
