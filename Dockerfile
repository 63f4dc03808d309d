# syntax=docker/dockerfile:1
# Base images are build arguments so that a site with its own registry (and CI here) can substitute them.
ARG BUILD_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /workspace
# dependencies first: this layer is rebuilt only when the POM changes
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q -Dcodegen.skip=true dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -Dmaven.test.skip=true -Dcodegen.skip=true package \
 && java -Djarmode=tools -jar target/image-gateway.jar extract --layers --destination extracted

FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 gateway \
 && useradd --system --uid 10001 --gid gateway --home-dir /app --no-create-home --shell /usr/sbin/nologin gateway
WORKDIR /app
# Spring Boot's layers, least to most often changed: a code change rebuilds only the last, thin one
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
# A JDK 25 AOT cache from a training run that starts the context and exits: classes come
# loaded and linked, so the container is ready in a fraction of the plain start-up time.
RUN java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar image-gateway.jar \
 && chmod 0444 app.aot \
 && rm -rf /tmp/image-gateway
# where compose and the Helm chart mount the stored images; owned by the gateway's user, so that
# a fresh volume mounted here is too
RUN mkdir -p /var/lib/image-gateway/outputs && chown -R 10001:10001 /var/lib/image-gateway
USER 10001:10001
# 8080: the API; 8081: health probes and Prometheus metrics, kept off the API port
EXPOSE 8080 8081
# InitialRAMPercentage: under the chart's limit the JVM picks the serial collector and would size its
# young generation from a 12 MB first heap (4 MB): every burst then promoted its garbage, and the
# old generation grew into it (RSS ~380 MB after 300 sandbox creates; ~300 MB with a fifth to start)
ENV MANAGEMENT_SERVER_PORT=8081 \
    JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=20 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "image-gateway.jar"]
