{{/*
Names and labels. A service's objects are "<fullname>-<service>"; its pods carry component=<service>, which the
NetworkPolicies select on.
*/}}
{{- define "cloudsentinel.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cloudsentinel.serviceName" -}}
{{- printf "%s-%s" (include "cloudsentinel.fullname" .root) .name -}}
{{- end -}}

{{- define "cloudsentinel.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "cloudsentinel.labels" -}}
{{ include "cloudsentinel.selectorLabels" . }}
app.kubernetes.io/part-of: cloudsentinel
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{/*
The enabled services, each serviceDefaults overridden by services.<name>, as YAML (read back with fromYaml).
mergeOverwrite skips "empty" overrides, so booleans a service may turn off are taken from its own values.
*/}}
{{- define "cloudsentinel.services" -}}
{{- $out := dict -}}
{{- range $name, $own := .Values.services -}}
{{- $svc := mergeOverwrite (deepCopy $.Values.serviceDefaults) (deepCopy $own) -}}
{{- range $flag := list "enabled" "kafka" "internetEgress" -}}
{{- if hasKey $own $flag -}}{{- $_ := set $svc $flag (index $own $flag) -}}{{- end -}}
{{- end -}}
{{- range $block := list "autoscaling" "podDisruptionBudget" -}}
{{- if and (hasKey $own $block) (hasKey (index $own $block) "enabled") -}}
{{- $_ := set (index $svc $block) "enabled" (index (index $own $block) "enabled") -}}
{{- end -}}
{{- end -}}
{{- if $svc.enabled -}}{{- $_ := set $out $name $svc -}}{{- end -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{- define "cloudsentinel.image" -}}
{{- $repository := .svc.image.repository | default (printf "cloudsentinel/%s" .name) -}}
{{- printf "%s:%s" (include "cloudsentinel.inRegistry" (dict "root" .root "repository" $repository)) (.svc.image.tag | default .root.Chart.AppVersion) -}}
{{- end -}}

{{/* A repository under imageRegistry, when one is set. */}}
{{- define "cloudsentinel.inRegistry" -}}
{{- with .root.Values.imageRegistry -}}{{ trimSuffix "/" . }}/{{- end -}}{{ .repository }}
{{- end -}}

{{/* The services that call this one (the gateway calls them all). */}}
{{- define "cloudsentinel.callers" -}}
{{- $callers := list -}}
{{- if ne .name "gateway" -}}{{- $callers = append $callers "gateway" -}}{{- end -}}
{{- range $caller := .svc.calledBy -}}{{- $callers = append $callers $caller -}}{{- end -}}
{{- toYaml (dict "callers" $callers) -}}
{{- end -}}

{{/* The services this one calls: the gateway all others, the rest those whose calledBy names it. */}}
{{- define "cloudsentinel.callees" -}}
{{- $callees := list -}}
{{- range $target, $targetSvc := .services -}}
{{- if and (ne $target $.name) (or (eq $.name "gateway") (has $.name $targetSvc.calledBy)) -}}
{{- $callees = append $callees $target -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "callees" $callees) -}}
{{- end -}}

{{- define "cloudsentinel.postgresQuery" -}}
{{- printf "%s:%v/%s?sslmode=%s" .root.Values.postgresql.host .root.Values.postgresql.port .svc.database .root.Values.postgresql.sslmode -}}
{{- end -}}

{{/* Environment that is not secret, for the ConfigMap (and, for the hooks, inline: they run before ConfigMaps). */}}
{{- define "cloudsentinel.kafkaEnv" -}}
{{- $kafka := .Values.kafka -}}
KAFKA_BOOTSTRAP_SERVERS: {{ $kafka.bootstrapServers | quote }}
KAFKA_SECURITY_PROTOCOL: {{ $kafka.securityProtocol | quote }}
{{- if $kafka.sasl.mechanism }}
KAFKA_SASL_MECHANISM: {{ $kafka.sasl.mechanism | quote }}
{{- end }}
{{- if $kafka.tls.caSecret }}
KAFKA_SSL_TRUSTSTORE_TYPE: "PEM"
KAFKA_SSL_TRUSTSTORE_LOCATION: "/etc/cloudsentinel/kafka-ca/{{ $kafka.tls.caKey }}"
{{- end }}
{{- end -}}

{{/* secretKeyRef env of a service from its secretEnv: "<group>.<field>" names secrets.<group>.existingSecret and key. */}}
{{- define "cloudsentinel.secretEnv" -}}
{{- $root := .root -}}
{{- range $env, $ref := .svc.secretEnv }}
{{- $conditional := hasPrefix "?" $ref -}}
{{- $optional := hasPrefix "~" $ref -}}
{{- $path := splitList "." (trimPrefix "?" (trimPrefix "~" $ref)) -}}
{{- $group := index $path 0 -}}
{{- $secret := index $root.Values.secrets $group -}}
{{- if or (not $conditional) $secret.existingSecret }}
- name: {{ $env }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "secrets.%s.existingSecret is required" $group) $secret.existingSecret }}
      key: {{ index $secret (index $path 1) }}
      {{- if $optional }}
      optional: true
      {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "cloudsentinel.databaseCredentials" -}}
{{- $credentials := index .root.Values.secrets.database .role -}}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "secrets.database.%s.existingSecret is required" .role) $credentials.existingSecret }}
      key: {{ $credentials.username }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $credentials.existingSecret }}
      key: {{ $credentials.password }}
{{- end -}}

{{- define "cloudsentinel.kafkaSecretEnv" -}}
{{- if .Values.kafka.sasl.existingSecret }}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.existingSecret }}
      key: {{ .Values.kafka.sasl.jaasConfigKey }}
{{- end }}
{{- end -}}

{{- define "cloudsentinel.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 185
runAsGroup: 185
fsGroup: 185
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "cloudsentinel.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "cloudsentinel.hookAnnotations" -}}
helm.sh/hook: pre-install,pre-upgrade
helm.sh/hook-weight: {{ .weight | quote }}
helm.sh/hook-delete-policy: before-hook-creation
{{- end -}}

{{/* ===== One template per kind, shared by the five services; called with (dict "root" $ "name" $name "svc" $svc "services" $services). ===== */}}

{{- define "cloudsentinel.configMap" -}}
{{- $root := .root -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}
  labels:
    {{- include "cloudsentinel.labels" . | nindent 4 }}
data:
  QUARKUS_PROFILE: {{ $root.Values.profile | quote }}
  QUARKUS_HTTP_PORT: {{ .svc.httpPort | quote }}
  QUARKUS_MANAGEMENT_PORT: {{ .svc.managementPort | quote }}
  JAVA_OPTS_APPEND: {{ .svc.javaOpts | quote }}
  {{- with $root.Values.tracing }}
  {{- if .otlpEndpoint }}
  CS_OTEL_ENDPOINT: {{ .otlpEndpoint | quote }}
  CS_OTEL_SAMPLE_RATIO: {{ .sampleRatio | quote }}
  {{- end }}
  {{- end }}
  {{- if .svc.kafka }}
  {{- include "cloudsentinel.kafkaEnv" $root | nindent 2 }}
  {{- end }}
  {{- if .svc.database }}
  QUARKUS_DATASOURCE_REACTIVE_URL: {{ printf "postgresql://%s" (include "cloudsentinel.postgresQuery" .) | quote }}
  QUARKUS_DATASOURCE_JDBC_URL: {{ printf "jdbc:postgresql://%s" (include "cloudsentinel.postgresQuery" .) | quote }}
  {{- end }}
  {{- range $callee := (include "cloudsentinel.callees" . | fromYaml).callees }}
  {{ printf "CS_SERVICE_URL_%s" (trimSuffix "-service" $callee | replace "-" "_" | upper) }}: {{ printf "http://%s:%v" (include "cloudsentinel.serviceName" (dict "root" $root "name" $callee)) (index $.services $callee).httpPort | quote }}
  {{- end }}
  {{- if eq .name "gateway" }}
  CS_JWT_ISSUER: {{ $root.Values.jwt.issuer | quote }}
  CS_JWT_AUDIENCE: {{ $root.Values.jwt.audience | quote }}
  {{- if $root.Values.jwt.jwksUrl }}
  CS_JWT_PUBLIC_KEY_LOCATION: {{ $root.Values.jwt.jwksUrl | quote }}
  {{- else if $root.Values.jwt.publicKey.existingSecret }}
  CS_JWT_PUBLIC_KEY_LOCATION: {{ printf "/etc/cloudsentinel/jwt/%s" $root.Values.jwt.publicKey.key | quote }}
  {{- else }}
  {{- fail "jwt.jwksUrl or jwt.publicKey.existingSecret is required: the gateway verifies tenants' tokens with it" }}
  {{- end }}
  {{- with $root.Values.gateway.operators }}
  {{- if .issuer }}
  CS_GATEWAY_OPERATORS_ISSUER: {{ .issuer | quote }}
  CS_GATEWAY_OPERATORS_PUBLIC_KEY_LOCATION: {{ required "gateway.operators.publicKeyLocation is required with gateway.operators.issuer" .publicKeyLocation | quote }}
  {{- if .audience }}
  CS_GATEWAY_OPERATORS_AUDIENCE: {{ .audience | quote }}
  {{- end }}
  {{- end }}
  {{- end }}
  CS_GATEWAY_RATE_LIMIT_STORE: {{ $root.Values.gateway.rateLimits.store | quote }}
  {{- if eq $root.Values.gateway.rateLimits.store "redis" }}
  {{- $_ := required "secrets.redis.existingSecret is required when gateway.rateLimits.store is redis" $root.Values.secrets.redis.existingSecret }}
  {{- end }}
  {{- if $root.Values.gateway.trustedProxies }}
  CS_GATEWAY_TRUSTED_PROXIES: {{ $root.Values.gateway.trustedProxies | quote }}
  {{- end }}
  {{- end }}
  {{- range $key, $value := .svc.env }}
  {{ $key }}: {{ $value | quote }}
  {{- end }}
{{- end -}}

{{- define "cloudsentinel.deployment" -}}
{{- $root := .root -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}
  labels:
    {{- include "cloudsentinel.labels" . | nindent 4 }}
spec:
  {{- if not .svc.autoscaling.enabled }}
  replicas: {{ .svc.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "cloudsentinel.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "cloudsentinel.labels" . | nindent 8 }}
      annotations:
        checksum/config: {{ include "cloudsentinel.configMap" . | sha256sum }}
        {{- with .svc.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "cloudsentinel.serviceName" . }}
      automountServiceAccountToken: false
      {{- with .svc.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "cloudsentinel.podSecurityContext" . | nindent 8 }}
      topologySpreadConstraints:
        {{- range $topologyKey := list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
        - maxSkew: 1
          topologyKey: {{ $topologyKey }}
          whenUnsatisfiable: {{ $.svc.topologySpread.whenUnsatisfiable }}
          labelSelector:
            matchLabels:
              {{- include "cloudsentinel.selectorLabels" $ | nindent 14 }}
        {{- end }}
      {{- with .svc.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .svc.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .svc.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .name }}
          image: {{ include "cloudsentinel.image" . }}
          imagePullPolicy: {{ .svc.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ .svc.httpPort }}
              protocol: TCP
            - name: management
              containerPort: {{ .svc.managementPort }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "cloudsentinel.serviceName" . }}
          env:
            {{- if .svc.database }}
            {{- include "cloudsentinel.databaseCredentials" (dict "root" $root "role" "app") | nindent 12 }}
            {{- end }}
            {{- if .svc.kafka }}
            {{- with include "cloudsentinel.kafkaSecretEnv" $root | trim }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- end }}
            {{- with include "cloudsentinel.secretEnv" . | trim }}
            {{- . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: management
            periodSeconds: {{ .svc.probes.startup.periodSeconds }}
            failureThreshold: {{ .svc.probes.startup.failureThreshold }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: management
            periodSeconds: {{ .svc.probes.liveness.periodSeconds }}
            failureThreshold: {{ .svc.probes.liveness.failureThreshold }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: management
            periodSeconds: {{ .svc.probes.readiness.periodSeconds }}
            failureThreshold: {{ .svc.probes.readiness.failureThreshold }}
          resources:
            {{- toYaml .svc.resources | nindent 12 }}
          securityContext:
            {{- include "cloudsentinel.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if and .svc.kafka $root.Values.kafka.tls.caSecret }}
            - name: kafka-ca
              mountPath: /etc/cloudsentinel/kafka-ca
              readOnly: true
            {{- end }}
            {{- if and (eq .name "gateway") (not $root.Values.jwt.jwksUrl) $root.Values.jwt.publicKey.existingSecret }}
            - name: jwt-public-key
              mountPath: /etc/cloudsentinel/jwt
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 256Mi
        {{- if and .svc.kafka $root.Values.kafka.tls.caSecret }}
        - name: kafka-ca
          secret:
            secretName: {{ $root.Values.kafka.tls.caSecret }}
        {{- end }}
        {{- if and (eq .name "gateway") (not $root.Values.jwt.jwksUrl) $root.Values.jwt.publicKey.existingSecret }}
        - name: jwt-public-key
          secret:
            secretName: {{ $root.Values.jwt.publicKey.existingSecret }}
        {{- end }}
{{- end -}}

{{- define "cloudsentinel.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}
  labels:
    {{- include "cloudsentinel.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "cloudsentinel.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .svc.httpPort }}
      targetPort: http
      protocol: TCP
    - name: management
      port: {{ .svc.managementPort }}
      targetPort: management
      protocol: TCP
{{- end -}}

{{- define "cloudsentinel.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}
  labels:
    {{- include "cloudsentinel.labels" . | nindent 4 }}
automountServiceAccountToken: false
{{- end -}}

{{- define "cloudsentinel.horizontalPodAutoscaler" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}
  labels:
    {{- include "cloudsentinel.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "cloudsentinel.serviceName" . }}
  minReplicas: {{ .svc.autoscaling.minReplicas }}
  maxReplicas: {{ .svc.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .svc.autoscaling.targetCPUUtilizationPercentage }}
{{- end -}}

{{- define "cloudsentinel.podDisruptionBudget" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}
  labels:
    {{- include "cloudsentinel.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .svc.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "cloudsentinel.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* Egress a pod of this release needs to reach DNS, and PostgreSQL or Kafka when asked. */}}
{{- define "cloudsentinel.baseEgress" -}}
{{- $np := .root.Values.networkPolicy -}}
- to:
    {{- toYaml $np.dns.peers | nindent 4 }}
  ports:
    - { port: 53, protocol: UDP }
    - { port: 53, protocol: TCP }
{{- if .postgresql }}
- to:
    {{- toYaml .root.Values.postgresql.networkPolicyPeers | nindent 4 }}
  ports:
    - { port: {{ .root.Values.postgresql.port }}, protocol: TCP }
{{- end }}
{{- if .kafka }}
- to:
    {{- toYaml .root.Values.kafka.networkPolicyPeers | nindent 4 }}
  ports:
    {{- range $port := .root.Values.kafka.ports }}
    - { port: {{ $port }}, protocol: TCP }
    {{- end }}
{{- end }}
{{- end -}}

{{- define "cloudsentinel.networkPolicy" -}}
{{- $root := .root -}}
{{- $np := $root.Values.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}
  labels:
    {{- include "cloudsentinel.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "cloudsentinel.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    - ports:
        - { port: http, protocol: TCP }
      {{- if eq .name "gateway" }}
      {{- with $np.gatewayIngressFrom }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- else }}
      from:
        {{- range $caller := (include "cloudsentinel.callers" . | fromYaml).callers }}
        - podSelector:
            matchLabels:
              {{- include "cloudsentinel.selectorLabels" (dict "root" $root "name" $caller) | nindent 14 }}
        {{- end }}
      {{- end }}
    - ports:
        - { port: management, protocol: TCP }
      from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: {{ $np.monitoringNamespace }}
  egress:
    {{- include "cloudsentinel.baseEgress" (dict "root" $root "postgresql" .svc.database "kafka" .svc.kafka) | nindent 4 }}
    {{- range $callee := (include "cloudsentinel.callees" . | fromYaml).callees }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "cloudsentinel.selectorLabels" (dict "root" $root "name" $callee) | nindent 14 }}
      ports:
        - { port: {{ (index $.services $callee).httpPort }}, protocol: TCP }
    {{- end }}
    {{- if and (eq .name "gateway") (eq $root.Values.gateway.rateLimits.store "redis") }}
    - to:
        {{- toYaml $root.Values.gateway.rateLimits.redisNetworkPolicyPeers | nindent 8 }}
      ports:
        - { port: {{ $root.Values.gateway.rateLimits.redisPort }}, protocol: TCP }
    {{- end }}
    {{- if $root.Values.tracing.otlpEndpoint }}
    - to:
        {{- toYaml $root.Values.tracing.networkPolicyPeers | nindent 8 }}
      ports:
        - { port: {{ $root.Values.tracing.port }}, protocol: TCP }
    {{- end }}
    {{- if .svc.internetEgress }}
    - to:
        - ipBlock:
            cidr: {{ $np.internet.cidr }}
            {{- with $np.internet.except }}
            except:
              {{- toYaml . | nindent 14 }}
            {{- end }}
    {{- end }}
    {{- with .svc.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* The schema migration of one service's database: its image in the profile "migrate", as the owner. */}}
{{- define "cloudsentinel.migrationJob" -}}
{{- $root := .root -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "cloudsentinel.serviceName" . }}-migrate
  labels:
    {{- include "cloudsentinel.labels" (dict "root" $root "name" "migration") | nindent 4 }}
    cloudsentinel.io/service: {{ .name }}
  annotations:
    {{- include "cloudsentinel.hookAnnotations" (dict "weight" 0) | nindent 4 }}
spec:
  backoffLimit: {{ .svc.migration.backoffLimit }}
  activeDeadlineSeconds: {{ .svc.migration.activeDeadlineSeconds }}
  template:
    metadata:
      labels:
        {{- include "cloudsentinel.labels" (dict "root" $root "name" "migration") | nindent 8 }}
        cloudsentinel.io/service: {{ .name }}
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "cloudsentinel.fullname" $root }}-hooks
      automountServiceAccountToken: false
      {{- with .svc.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "cloudsentinel.podSecurityContext" . | nindent 8 }}
      containers:
        - name: migrate
          image: {{ include "cloudsentinel.image" . }}
          imagePullPolicy: {{ .svc.image.pullPolicy }}
          # hooks run before the release's ConfigMaps exist: everything inline, secrets that exist already
          env:
            - name: QUARKUS_PROFILE
              value: {{ printf "%s,migrate" $root.Values.profile | quote }}
            - name: QUARKUS_INIT_AND_EXIT
              value: "true"
            - name: QUARKUS_FLYWAY_MIGRATE_AT_START
              value: "true"
            - name: QUARKUS_DATASOURCE_REACTIVE_URL
              value: {{ printf "postgresql://%s" (include "cloudsentinel.postgresQuery" .) | quote }}
            - name: QUARKUS_DATASOURCE_JDBC_URL
              value: {{ printf "jdbc:postgresql://%s" (include "cloudsentinel.postgresQuery" .) | quote }}
            - name: JAVA_OPTS_APPEND
              value: {{ .svc.javaOpts | quote }}
            {{- include "cloudsentinel.databaseCredentials" (dict "root" $root "role" "owner") | nindent 12 }}
          resources:
            {{- toYaml .svc.migration.resources | nindent 12 }}
          securityContext:
            {{- include "cloudsentinel.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 128Mi
{{- end -}}
