# syntax=docker/dockerfile:1
# One recipe for every Failure Lab image: MODULE picks the app (chain-service, fault-injector,
# lab-cli; exercises: the chain service with the participants' classes). Multi-stage: the Maven wrapper builds on a JDK, a small JRE runs as a non-root user.
ARG JDK_IMAGE=eclipse-temurin:17.0.13_11-jdk-alpine
ARG JRE_IMAGE=eclipse-temurin:17.0.13_11-jre-alpine

FROM ${JDK_IMAGE} AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN test -n "${MODULE}" || { echo "build with --build-arg MODULE=chain-service|fault-injector|lab-cli|exercises" >&2; exit 1; } \
 && ./mvnw -B -ntp -q -DskipTests -Dmaven.test.skip=true -pl "${MODULE}" -am package \
 && cp "${MODULE}"/target/"${MODULE}"-*-exec.jar /app.jar

FROM ${JRE_IMAGE}
RUN addgroup -S lab && adduser -S -G lab -H lab
COPY --from=build /app.jar /app/app.jar
USER lab
WORKDIR /app
ENV JAVA_OPTS="-XX:MaxRAMPercentage=70" SERVER_PORT=8080
# Spring's health endpoint on the app's own port (a container without HTTP disables this).
HEALTHCHECK --interval=5s --timeout=3s --start-period=90s --retries=12 \
  CMD wget -q -O /dev/null "http://127.0.0.1:${MANAGEMENT_SERVER_PORT:-${SERVER_PORT}}/actuator/health" || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/app.jar \"$@\"", "--"]
