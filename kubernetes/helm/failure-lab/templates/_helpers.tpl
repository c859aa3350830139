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

{{/*
The lab's own servers, read from its compose form (compose/, the project's compose files): a JSON
object with "servers" (the compose services the chain does not have, by name) and "patches" (what
the lab's compose file changes on the chain's services, by name). Empty for lab: "".
*/}}
{{- define "failure-lab.lab" -}}
{{- $servers := dict }}
{{- $patches := dict }}
{{- $lab := .Values.lab | default "" }}
{{- if $lab }}
{{- $spec := index .Values.labs $lab | default dict }}
{{- if not $spec.compose }}
{{- fail (printf "lab: %q has no servers of its own; give one of: %s (or \"\" for the chain alone)" $lab (keys .Values.labs | sortAlpha | join ", ")) }}
{{- end }}
{{- $compose := .Files.Get (printf "compose/%s" $spec.compose) | fromYaml }}
{{- $chain := list "redis" "postgres" "fault-injector" }}
{{- range .Values.chain }}{{ $chain = append $chain .name }}{{ end }}
{{- range $name, $service := $compose.services }}
{{- if or (not $spec.profile) (has $spec.profile ($service.profiles | default list)) }}
{{- if has $name $chain }}
{{- $_ := set $patches $name $service }}
{{- else }}
{{- $_ := set $servers $name $service }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- dict "servers" $servers "patches" $patches | toJson }}
{{- end -}}

{{/*
A port as the values or a compose "ports" entry write it (8080, "8053/UDP",
"127.0.0.1:8053:8053/udp": the container's port is the last number): its number, protocol and the
pod's name for it (p8080, p8053-udp).
*/}}
{{- define "failure-lab.port" -}}
{{- $parts := splitList "/" (last (splitList ":" (toString .))) }}
{{- $protocol := "TCP" }}
{{- if eq (len $parts) 2 }}{{ $protocol = index $parts 1 | upper }}{{ end }}
{{- $port := first $parts }}
{{- dict "port" (atoi $port) "protocol" $protocol "name" (printf "p%s%s" $port (eq $protocol "TCP" | ternary "" (printf "-%s" ($protocol | lower)))) | toJson }}
{{- end -}}
