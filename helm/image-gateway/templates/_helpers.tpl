{{/* The chart name, truncated to 63 characters (a DNS label). */}}
{{- define "image-gateway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The full resource name: release-chart, unless the release name already contains the chart name. */}}
{{- define "image-gateway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "image-gateway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "image-gateway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "image-gateway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "image-gateway.labels" -}}
helm.sh/chart: {{ include "image-gateway.chart" . }}
{{ include "image-gateway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "image-gateway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "image-gateway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the upstream keys: an existing one, or the chart's. */}}
{{- define "image-gateway.upstreamKeysSecret" -}}
{{- default (printf "%s-upstream-keys" (include "image-gateway.fullname" .)) .Values.upstreamKeys.existingSecret }}
{{- end }}

{{/* The application's configuration, rendered from values: everything but the upstream keys. */}}
{{- define "image-gateway.applicationYaml" -}}
{{- $upstream := dict "limits" (dict "permits" .Values.gateway.upstream.limits.permits "period" .Values.gateway.upstream.limits.period "max-wait" .Values.gateway.upstream.limits.maxWait) }}
{{- with .Values.gateway.upstream.baseUrl }}
{{- $_ := set $upstream "base-url" . }}
{{- end }}
{{- with .Values.gateway.upstream.baseUrls }}
{{- $keys := dict }}
{{- range $name, $url := . }}{{ $_ := set $keys $name (dict "base-url" $url) }}{{ end }}
{{- $_ := set $upstream "keys" $keys }}
{{- end }}
{{- with .Values.gateway.upstream.callbackUrl }}
{{- $_ := set $upstream "callback-url" . }}
{{- $_ := set $upstream "webhook-secret" "${GATEWAY_UPSTREAM_WEBHOOKSECRET}" }}
{{- end }}
{{- with .Values.gateway.upstream.callbackPollInterval }}
{{- $_ := set $upstream "callback-poll-interval" . }}
{{- end }}
{{- $defaults := dict "creates" .Values.gateway.defaults.limits.creates "reads" .Values.gateway.defaults.limits.reads "concurrent-jobs" .Values.gateway.defaults.limits.concurrentJobs }}
{{- $store := dict "type" .Values.gateway.store.type "retention" .Values.gateway.store.retention "max-jobs" .Values.gateway.store.maxJobs }}
{{- $storage := dict "type" .Values.gateway.storage.type "max-output-size" .Values.gateway.storage.maxOutputSize "signed-url-ttl" .Values.gateway.storage.signedUrlTtl "retention" .Values.gateway.storage.retention }}
{{- if eq .Values.gateway.storage.type "s3" }}
{{- $s3 := dict "bucket" .Values.gateway.storage.s3.bucket "prefix" .Values.gateway.storage.s3.prefix "path-style" .Values.gateway.storage.s3.pathStyle }}
{{- with .Values.gateway.storage.s3.region }}{{ $_ := set $s3 "region" . }}{{ end }}
{{- with .Values.gateway.storage.s3.endpoint }}{{ $_ := set $s3 "endpoint" . }}{{ end }}
{{- $_ := set $storage "s3" $s3 }}
{{- else }}
{{- $_ := set $storage "filesystem" (dict "root" "/var/lib/image-gateway/outputs") }}
{{- end }}
{{- $defaultsAll := dict "limits" $defaults }}
{{- with .Values.gateway.defaults.budget }}{{ $_ := set $defaultsAll "budget" (include "image-gateway.budget" . | fromYaml) }}{{ end }}
{{- with .Values.gateway.defaults.prompt }}{{ $_ := set $defaultsAll "prompt" (include "image-gateway.prompt" . | fromYaml) }}{{ end }}
{{- with .Values.gateway.defaults.defaultCancelAfter }}{{ $_ := set $defaultsAll "default-cancel-after" . }}{{ end }}
{{- with .Values.gateway.defaults.maxCancelAfter }}{{ $_ := set $defaultsAll "max-cancel-after" . }}{{ end }}
{{- $prices := list }}
{{- range .Values.gateway.pricing.models }}
{{- $p := dict "model" .model }}
{{- with .perImage }}{{ $_ := set $p "per-image" (toString .) }}{{ end }}
{{- with .perSecond }}{{ $_ := set $p "per-second" (toString .) }}{{ end }}
{{- with .estimateSeconds }}{{ $_ := set $p "estimate-seconds" (toString .) }}{{ end }}
{{- with .effectiveFrom }}{{ $_ := set $p "effective-from" . }}{{ end }}
{{- $prices = append $prices $p }}
{{- end }}
{{- $pricing := dict "currency" .Values.gateway.pricing.currency "required" .Values.gateway.pricing.required "models" $prices "usage-retention" .Values.gateway.pricing.usageRetention }}
{{- with .Values.gateway.pricing.default }}
{{- $r := dict }}
{{- with .perImage }}{{ $_ := set $r "per-image" (toString .) }}{{ end }}
{{- with .perSecond }}{{ $_ := set $r "per-second" (toString .) }}{{ end }}
{{- with .estimateSeconds }}{{ $_ := set $r "estimate-seconds" (toString .) }}{{ end }}
{{- $_ := set $pricing "default" $r }}
{{- end }}
{{- $tracking := dict "max-age" .Values.gateway.tracking.maxAge "takeover-after" .Values.gateway.tracking.takeoverAfter }}
{{- $app := dict "gateway" (dict "upstream" $upstream "defaults" $defaultsAll "pricing" $pricing "clients-file" (list "/etc/image-gateway/clients/clients.yaml" "/etc/image-gateway/client-keys/clients.yaml") "clients-file-check-interval" .Values.gateway.clientsFileCheckInterval "store" $store "tracking" $tracking "storage" $storage "events" (dict "heartbeat" .Values.gateway.events.heartbeat) "webhooks" (dict "allowed-hosts" .Values.gateway.webhooks.allowedHosts "timeout" .Values.gateway.webhooks.timeout "retry-for" .Values.gateway.webhooks.retryFor)) }}
{{- if .Values.ingress.enabled }}
{{- $_ := set $app.gateway "forwarded" (dict "trusted-proxies" .Values.ingress.trustedProxies) }}
{{- end }}
{{- toYaml (mergeOverwrite $app (deepCopy .Values.gateway.extraConfig)) }}
{{- end }}

{{- define "image-gateway.signingSecret" -}}
{{- default (printf "%s-signing" (include "image-gateway.fullname" .)) .Values.outputs.signingSecret.existingSecret }}
{{- end }}

{{- define "image-gateway.outputsClaim" -}}
{{- default (printf "%s-outputs" (include "image-gateway.fullname" .)) .Values.outputs.persistence.existingClaim }}
{{- end }}

{{/* The environment variable carrying a client's webhook secret, which its configuration names. */}}
{{- define "image-gateway.webhookSecretEnv" -}}
WEBHOOK_SECRET_{{ . | upper | replace "-" "_" }}
{{- end }}

{{/* A budget as the gateway reads it: amounts as strings, so no decimal is lost. */}}
{{- define "image-gateway.budget" -}}
{{- $b := dict "amount" (toString .amount) "period" .period }}
{{- with .alertAt }}{{ $_ := set $b "alert-at" (toString .) }}{{ end }}
{{- toYaml $b }}
{{- end }}

{{/* Prompt rules in the application's names. */}}
{{- define "image-gateway.prompt" -}}
{{- $p := dict }}
{{- with .maxLength }}{{ $_ := set $p "max-length" . }}{{ end }}
{{- with .deny }}{{ $_ := set $p "deny" . }}{{ end }}
{{- toYaml $p }}
{{- end }}

{{/* The clients' settings, for the clients ConfigMap: everything but their key hashes, which go to the clients Secret. */}}
{{- define "image-gateway.clientsYaml" -}}
{{- $clients := dict }}
{{- range $name, $client := .Values.gateway.clients }}
{{- $c := dict "upstream-key" (default "default" $client.upstreamKey) "sandbox" (default false $client.sandbox) }}
{{- with $client.models }}{{ $_ := set $c "models" . }}{{ end }}
{{- with $client.limits }}
{{- $l := dict }}
{{- with .creates }}{{ $_ := set $l "creates" . }}{{ end }}
{{- with .reads }}{{ $_ := set $l "reads" . }}{{ end }}
{{- with .concurrentJobs }}{{ $_ := set $l "concurrent-jobs" . }}{{ end }}
{{- $_ := set $c "limits" $l }}
{{- end }}
{{- with $client.budget }}{{ $_ := set $c "budget" (include "image-gateway.budget" . | fromYaml) }}{{ end }}
{{- with $client.prompt }}{{ $_ := set $c "prompt" (include "image-gateway.prompt" . | fromYaml) }}{{ end }}
{{- with $client.defaultCancelAfter }}{{ $_ := set $c "default-cancel-after" . }}{{ end }}
{{- with $client.maxCancelAfter }}{{ $_ := set $c "max-cancel-after" . }}{{ end }}
{{- with $client.fallbackUpstreamKey }}{{ $_ := set $c "fallback-upstream-key" . }}{{ end }}
{{- with $client.cache }}{{ $_ := set $c "cache" (dict "ttl" .ttl "shared-with" (default list .sharedWith)) }}{{ end }}
{{- if $client.webhookSecret }}{{ $_ := set $c "webhook-secret" (printf "${%s}" (include "image-gateway.webhookSecretEnv" $name)) }}{{ end }}
{{- $_ := set $clients $name $c }}
{{- end }}
{{- if $clients }}{{ toYaml $clients }}{{ else }}{}{{ end }}
{{- end }}

{{/* The clients' key hashes, for the clients Secret the chart renders. */}}
{{- define "image-gateway.clientKeysYaml" -}}
{{- $keys := dict }}
{{- range $name, $client := .Values.gateway.clients }}
{{- with $client.keySha256 }}{{ $_ := set $keys $name (dict "key-sha256" .) }}{{ end }}
{{- end }}
{{- if $keys }}{{ toYaml $keys }}{{ else }}{}{{ end }}
{{- end }}

{{/* The Secret of the clients' key hashes (and, in an existing one, webhook secrets): an existing one, or the chart's. */}}
{{- define "image-gateway.clientsSecret" -}}
{{- default (printf "%s-clients" (include "image-gateway.fullname" .)) .Values.gateway.clientsSecret.existingSecret }}
{{- end }}
