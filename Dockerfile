# Build stage: the Maven wrapper builds the jar; tests run in CI, not in the image build.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package

# Run stage: a JRE, a non-root user, config/ and routes/ beside the jar (mount over them to override).
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 bridge \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home bridge
WORKDIR /app
COPY --from=build /src/target/skiplino-crm-bridge.jar /app/skiplino-crm-bridge.jar
COPY config/ /app/config/
COPY routes/ /app/routes/
RUN mkdir -p /app/data && chown -R bridge /app/data
USER bridge
EXPOSE 8080
# Healthy = readiness answers 200 (UP or DEGRADED). The status line decides, not the body: the body lists
# every component's status (show-details), so it says "UP" even when the whole is DOWN (503).
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PORT:-8080} && printf 'GET /actuator/health/readiness HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q '^HTTP/1\\.[01] 200'"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/skiplino-crm-bridge.jar"]
