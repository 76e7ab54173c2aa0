import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The benchmark load client and the naive baseline, JDK only, run in source-file mode:
 * {@code java bench/Bench.java <command> --key value ...}. The shell scripts beside it start the
 * processes and call these commands; see docs/benchmarks.md.
 *
 * <p>Every customer is generated from its number by {@link #customer}, so the load client, the Skiplino
 * seeding of the cold-start benchmark and the naive baseline all describe the same 20,000 customers, in
 * exactly the form the bridge's mapping produces (lower-case email, E.164 mobile).
 */
public final class Bench {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).executor(Executors.newFixedThreadPool(64)).build();

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("commands: seed-skiplino, seed-salesforce, webhook-backfill, webhook-load, e2e-latency, naive, "
                    + "wait-polled, wait-applied, resync, skiplino-window, ticket-lag, stats");
            System.exit(2);
        }
        Map<String, String> o = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "seed-skiplino" -> seedSkiplino(o);
            case "seed-salesforce" -> seedSalesforce(o);
            case "webhook-backfill" -> webhookBackfill(o);
            case "webhook-load" -> webhookLoad(o);
            case "e2e-latency" -> e2eLatency(o);
            case "naive" -> naive(o);
            case "wait-polled" -> waitPolled(o);
            case "wait-applied" -> waitApplied(o);
            case "ticket-lag" -> ticketLag(o);
            case "skiplino-window" -> skiplinoWindow(o);
            case "resync" -> resync(o);
            case "stats" -> System.out.println(get(o.get("sandbox") + "/sandbox/control/skiplino/stats").body());
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        System.exit(0);
    }

    // ---------------------------------------------------------------- data

    /** Customer number {@code i} of a data set, as the CRM sends it (and as the bridge maps it). */
    static Map<String, Object> customer(String prefix, int i, String variant) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("externalId", prefix + i);
        c.put("name", "Bench Customer " + i + variant);
        c.put("email", "bench" + i + "@example.com");
        c.put("mobile", "+973" + (33000000 + i));
        c.put("metadata", Map.of("tier", i % 3 == 0 ? "gold" : "silver"));
        return c;
    }

    static Map<String, Object> upsertEvent(String eventId, Instant at, Map<String, Object> customer) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", eventId);
        e.put("type", "customer.upserted");
        e.put("occurredAt", at.toString());
        e.put("customer", customer);
        return e;
    }

    // ---------------------------------------------------------------- commands

    /**
     * Creates customers 0..count-1 directly in the Skiplino sandbox (16 threads): a "populated Skiplino". With
     * {@code --ids FILE} (written by {@code seed-salesforce --ids}) customer {@code i} is contact {@code i} as the
     * bridge maps it ({@link #contactCustomer}), keyed by its Id; otherwise {@link #customer} with {@code prefix}.
     */
    static void seedSkiplino(Map<String, String> o) throws Exception {
        String base = o.get("sandbox") + "/sandbox/skiplino/external/v1/customers/create";
        int count = Integer.parseInt(o.getOrDefault("count", "20000"));
        String prefix = o.getOrDefault("prefix", "bench-");
        List<String> ids = o.containsKey("ids") ? Files.readAllLines(Path.of(o.get("ids"))) : null;
        if (ids != null && ids.size() < count) {
            throw new IllegalArgumentException(o.get("ids") + " holds " + ids.size() + " ids, fewer than " + count);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        runThreads(16, () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base))
                        .header("Authorization", "Bearer sk_sandbox_secret").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json(ids == null ? customer(prefix, i, "")
                                : contactCustomer(ids.get(i), contact(i))))).build());
                if (r.statusCode() != 201) {
                    failed.incrementAndGet();
                }
            }
        });
        System.out.println("{\"seeded\": " + (count - failed.get()) + ", \"failed\": " + failed.get() + "}");
    }

    /** Contact number {@code i} in the Salesforce sandbox: the same person as {@link #customer} (name, email, mobile). */
    static Map<String, Object> contact(int i) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("FirstName", "Bench");
        c.put("LastName", "Customer " + i);
        c.put("Email", "bench" + i + "@example.com");
        c.put("MobilePhone", "+973" + (33000000 + i));
        c.put("MailingCity", i % 3 == 0 ? "Manama" : "Riffa");
        return c;
    }

    /**
     * A Salesforce Contact as the bridge maps it with the default {@code bridge.salesforce.poll.fields} and
     * {@code metadata-fields} and {@code bridge.mapping.*} (name = first + last, email lower-cased, mobile in E.164,
     * MailingCity as metadata {@code city}), keyed by {@code externalId}. The contacts of {@link #contact} need no
     * normalising, so this is exactly what the bridge would send: seeding Skiplino with it makes every contact an
     * unchanged customer (benchmark 3 checks that: its cold start must write nothing).
     */
    static Map<String, Object> contactCustomer(String externalId, Map<?, ?> record) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("externalId", externalId);
        c.put("name", record.get("FirstName") + " " + record.get("LastName"));
        c.put("email", record.get("Email"));
        c.put("mobile", record.get("MobilePhone"));
        c.put("metadata", Map.of("city", String.valueOf(record.get("MailingCity"))));
        return c;
    }

    /**
     * Creates contacts 0..count-1 in the Salesforce sandbox through its control API, {@code chunk} per call
     * (one call is one Salesforce transaction: one SystemModstamp), 4 calls at a time. With {@code --ids FILE}
     * writes the contacts' Ids, line {@code i} holding contact {@code i}'s.
     */
    static void seedSalesforce(Map<String, String> o) throws Exception {
        URI uri = URI.create(o.get("sandbox") + "/sandbox/control/salesforce/contacts");
        int count = Integer.parseInt(o.getOrDefault("count", "20000"));
        int chunk = Integer.parseInt(o.getOrDefault("chunk", "1000"));
        String[] ids = new String[count];
        AtomicInteger nextChunk = new AtomicInteger();
        long started = System.nanoTime();
        runThreads(4, () -> {
            for (int c = nextChunk.getAndIncrement(); c * chunk < count; c = nextChunk.getAndIncrement()) {
                List<Object> contacts = new ArrayList<>();
                for (int i = c * chunk; i < Math.min(count, (c + 1) * chunk); i++) {
                    contacts.add(contact(i));
                }
                HttpResponse<String> r = send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json(contacts))).build());
                if (r.statusCode() != 201) {
                    throw new IllegalStateException("contacts chunk " + c + " refused: " + r.statusCode() + " " + r.body());
                }
                List<?> stored = (List<?>) Json.parse(r.body());
                for (int k = 0; k < stored.size(); k++) {
                    ids[c * chunk + k] = String.valueOf(((Map<?, ?>) stored.get(k)).get("Id"));
                }
            }
        });
        if (o.containsKey("ids")) {
            Files.write(Path.of(o.get("ids")), Arrays.asList(ids));
        }
        System.out.printf("{\"seeded\": %d, \"chunk\": %d, \"seconds\": %.3f}%n", count, chunk, (System.nanoTime() - started) / 1e9);
    }

    /** Sends customers 0..count-1 as upsert events in signed batches (4 senders), like a CRM backfill. */
    static void webhookBackfill(Map<String, String> o) throws Exception {
        Signer signer = new Signer(o.get("secret"));
        URI uri = URI.create(o.get("bridge") + "/api/crm/events");
        int count = Integer.parseInt(o.getOrDefault("count", "20000"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "500"));
        String prefix = o.getOrDefault("prefix", "bench-");
        String run = o.getOrDefault("run", "r" + System.currentTimeMillis());
        String variant = o.getOrDefault("variant", "");
        Instant at = Instant.now();
        AtomicInteger nextBatch = new AtomicInteger();
        LongAdder accepted = new LongAdder();
        long started = System.nanoTime();
        runThreads(Integer.parseInt(o.getOrDefault("senders", "4")), () -> {
            for (int b = nextBatch.getAndIncrement(); b * batch < count; b = nextBatch.getAndIncrement()) {
                List<Object> events = new ArrayList<>();
                for (int i = b * batch; i < Math.min(count, (b + 1) * batch); i++) {
                    events.add(upsertEvent(run + "-" + i, at, customer(prefix, i, variant)));
                }
                String body = json(Map.of("events", events));
                for (int attempt = 1; ; attempt++) {
                    HttpResponse<String> r = send(signer.sign(HttpRequest.newBuilder(uri), body).build());
                    if (r.statusCode() == 202) {
                        accepted.add(events.size());
                        break;
                    }
                    if (attempt == 5) {
                        throw new IllegalStateException("batch " + b + " refused: " + r.statusCode() + " " + r.body());
                    }
                }
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("{\"sent\": %d, \"seconds\": %.3f}%n", accepted.sum(), seconds);
    }

    /**
     * Benchmark 4: {@code clients} closed-loop senders, each posting one signed event per request for
     * {@code seconds}; every event a new event id, customers spread over a million ids.
     */
    static void webhookLoad(Map<String, String> o) throws Exception {
        Signer signer = new Signer(o.get("secret"));
        URI uri = URI.create(o.get("bridge") + "/api/crm/events");
        int clients = Integer.parseInt(o.getOrDefault("clients", "50"));
        long seconds = Long.parseLong(o.getOrDefault("seconds", "60"));
        long warmup = Long.parseLong(o.getOrDefault("warmup", "5"));
        String run = o.getOrDefault("run", "load" + System.currentTimeMillis());
        AtomicLong seq = new AtomicLong();
        LongAdder accepted = new LongAdder();
        LongAdder other = new LongAdder();
        LongAdder errors = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        List<long[]> perClient = new ArrayList<>();
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
        long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                RawClient http = new RawClient(uri);
                while (true) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    long i = seq.getAndIncrement();
                    String body = json(upsertEvent(run + "-" + i, Instant.now(), customer("load-", (int) (i % 1_000_000), "")));
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = http.post(body, signer.headers(body));
                    } catch (IOException e) {
                        status = -1;
                        http.close();
                    }
                    long t1 = System.nanoTime();
                    if (t0 < warmEnd) {
                        continue;
                    }
                    statuses.computeIfAbsent(status, k -> new LongAdder()).increment();
                    if (status == 202) {
                        accepted.increment();
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = t1 - t0;
                    } else if (status < 0) {
                        errors.increment();
                    } else {
                        other.increment();
                    }
                }
                http.close();
                return Arrays.copyOf(lat, n);
            }));
        }
        for (Future<long[]> f : futures) {
            perClient.add(f.get());
        }
        pool.shutdown();
        long[] all = perClient.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clients", clients);
        out.put("seconds", seconds);
        out.put("accepted", accepted.sum());
        out.put("acceptedPerSecond", round(accepted.sum() / (double) seconds));
        out.put("non202", other.sum());
        out.put("ioErrors", errors.sum());
        out.put("statuses", statuses.entrySet().stream().collect(java.util.stream.Collectors.toMap(
                e -> String.valueOf(e.getKey()), e -> e.getValue().sum())));
        out.put("latencyMs", percentiles(all));
        write(o, out);
    }

    /**
     * Benchmark 5: an open-loop sender at {@code rate} events/second for {@code seconds}; each event a
     * new customer. Afterwards the Skiplino sandbox's request log gives, per customer, the end of the
     * successful create: latency = that end minus the moment the bridge answered 202.
     */
    static void e2eLatency(Map<String, String> o) throws Exception {
        Signer signer = new Signer(o.get("secret"));
        URI uri = URI.create(o.get("bridge") + "/api/crm/events");
        int rate = Integer.parseInt(o.getOrDefault("rate", "50"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "120"));
        String run = o.getOrDefault("run", "e2e" + System.currentTimeMillis());
        String prefix = run + "-c";
        int total = rate * seconds;
        Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();
        LongAdder refused = new LongAdder();
        Instant since = Instant.now();
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(8);
        long periodNanos = 1_000_000_000L / rate;
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<java.util.concurrent.ScheduledFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int n = i;
            long delay = start + n * periodNanos - System.nanoTime();
            sent.add(ticker.schedule(() -> {
                next.incrementAndGet();
                String body = json(upsertEvent(run + "-" + n, Instant.now(), customer(prefix, n, "")));
                HttpResponse<String> r = send(signer.sign(HttpRequest.newBuilder(uri), body).build());
                if (r.statusCode() == 202) {
                    acceptedAt.put(prefix + n, Instant.now());
                } else {
                    refused.increment();
                }
            }, Math.max(0, delay), TimeUnit.NANOSECONDS));
        }
        for (var f : sent) {
            f.get();
        }
        ticker.shutdown();
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        // wait until every accepted customer was created in Skiplino (or 120 s)
        Map<String, Instant> appliedAt = new HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (appliedAt.size() < acceptedAt.size() && System.nanoTime() < deadline) {
            appliedAt = appliedFromRequestLog(o.get("sandbox"), since, prefix);
            if (appliedAt.size() < acceptedAt.size()) {
                Thread.sleep(1000);
            }
        }
        long[] lat = new long[acceptedAt.size()];
        int n = 0;
        int missing = 0;
        for (Map.Entry<String, Instant> e : acceptedAt.entrySet()) {
            Instant applied = appliedAt.get(e.getKey());
            if (applied == null) {
                missing++;
                continue;
            }
            lat[n++] = Duration.between(e.getValue(), applied).toNanos();
        }
        long[] sorted = Arrays.stream(lat, 0, n).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rate", rate);
        out.put("seconds", seconds);
        out.put("sendSeconds", round(sendSeconds));
        out.put("accepted", acceptedAt.size());
        out.put("refused", refused.sum());
        out.put("appliedMeasured", n);
        out.put("notAppliedWithin120s", missing);
        out.put("latencyMs", percentiles(sorted));
        // where the tail lies in time: a slow start (JIT, first connections) or spread over the run (GC, store)
        Map<Long, List<Long>> byTenSeconds = new java.util.TreeMap<>();
        for (Map.Entry<String, Instant> e : acceptedAt.entrySet()) {
            Instant applied = appliedAt.get(e.getKey());
            if (applied != null) {
                long bucket = Duration.between(since, e.getValue()).toSeconds() / 10 * 10;
                byTenSeconds.computeIfAbsent(bucket, b -> new ArrayList<>()).add(Duration.between(e.getValue(), applied).toNanos());
            }
        }
        List<Map<String, Object>> timeline = new ArrayList<>();
        byTenSeconds.forEach((bucket, values) -> {
            long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("fromSecond", bucket);
            row.put("events", v.length);
            row.put("over300ms", Arrays.stream(v).filter(x -> x > 300_000_000L).count());
            row.put("p50Ms", round(v[v.length / 2] / 1e6));
            row.put("maxMs", round(v[v.length - 1] / 1e6));
            timeline.add(row);
        });
        out.put("byTenSeconds", timeline);
        write(o, out);
    }

    /** externalId -> end of its successful create/update in the sandbox's request log, for ids starting with prefix. */
    static Map<String, Instant> appliedFromRequestLog(String sandbox, Instant since, String prefix) throws Exception {
        Object parsed = Json.parse(get(sandbox + "/sandbox/control/skiplino/requests?since=" + since).body());
        Map<String, Instant> applied = new HashMap<>();
        for (Object entry : (List<?>) ((Map<?, ?>) parsed).get("requests")) {
            Map<?, ?> r = (Map<?, ?>) entry;
            Object id = r.get("customerExternalId");
            Object status = r.get("status");
            String path = String.valueOf(r.get("path"));
            if (id != null && id.toString().startsWith(prefix) && status instanceof Number s
                    && (s.intValue() == 200 || s.intValue() == 201) && path.startsWith("/customers/")) {
                applied.putIfAbsent(id.toString(), Instant.parse(r.get("endedAt").toString()));
            }
        }
        return applied;
    }

    /**
     * The naive baseline: what a user writes in an afternoon. One record at a time, one HTTP call per
     * record (create, and on 422 "already taken" an update), no hashing, no coalescing, no concurrency.
     * It runs for {@code seconds} or {@code count} records. Its records: with {@code --salesforce URL}
     * (the sandbox's login URL) the org's contacts, read the way such a route reads them (OAuth password
     * login, one SOQL query, its pages through {@code nextRecordsUrl}) and sent with the externalId
     * {@code prefix + Id}, so that they land as new customers next to the bridge's; without it the
     * generated {@link #customer}s {@code prefix + i}.
     */
    static void naive(Map<String, String> o) throws Exception {
        String base = o.get("sandbox") + "/sandbox/skiplino/external/v1";
        int count = Integer.parseInt(o.getOrDefault("count", "20000"));
        long seconds = Long.parseLong(o.getOrDefault("seconds", "60"));
        String prefix = o.getOrDefault("prefix", "naive-");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        java.util.Iterator<Map<String, Object>> records = o.containsKey("salesforce")
                ? new ContactPages(o.get("salesforce"), prefix)
                : java.util.stream.IntStream.range(0, count).mapToObj(i -> customer(prefix, i, "")).iterator();
        int done = 0;
        int calls = 0;
        Map<Integer, Integer> statuses = new HashMap<>();
        while (done < count && System.nanoTime() < end && records.hasNext()) {
            String body = json(records.next());
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/customers/create"))
                    .header("Authorization", "Bearer sk_sandbox_secret").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            calls++;
            statuses.merge(r.statusCode(), 1, Integer::sum);
            if (r.statusCode() == 422) {
                r = send(HttpRequest.newBuilder(URI.create(base + "/customers/update"))
                        .header("Authorization", "Bearer sk_sandbox_secret").header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
                calls++;
                statuses.merge(r.statusCode(), 1, Integer::sum);
            }
            done++;
        }
        double took = (System.nanoTime() - start) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("readFrom", o.containsKey("salesforce") ? "salesforce-query" : "generated");
        out.put("records", done);
        out.put("calls", calls);
        out.put("seconds", round(took));
        out.put("recordsPerSecond", round(done / took));
        out.put("statuses", statuses);
        write(o, out);
    }

    /**
     * The naive route's reader: logs in with the password grant, runs one SOQL query over the contacts
     * and follows {@code nextRecordsUrl} page by page, mapping each record straight to a Skiplino body.
     */
    static final class ContactPages implements java.util.Iterator<Map<String, Object>> {
        private final String prefix;
        private final String token;
        private final String instance;
        private java.util.Iterator<?> page;
        private String next;

        ContactPages(String loginUrl, String prefix) {
            this.prefix = prefix;
            String form = "grant_type=password&client_id=sandbox-client-id&client_secret=sandbox-client-secret"
                    + "&username=bridge%40sandbox.example.com&password=sandbox-password";
            HttpResponse<String> login = send(HttpRequest.newBuilder(URI.create(loginUrl + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build());
            Map<?, ?> answer = (Map<?, ?>) Json.parse(login.body());
            this.token = String.valueOf(answer.get("access_token"));
            this.instance = String.valueOf(answer.get("instance_url"));
            read("/services/data/v59.0/query?q=" + java.net.URLEncoder.encode(
                    "SELECT Id, FirstName, LastName, Email, MobilePhone, MailingCity FROM Contact", StandardCharsets.UTF_8));
        }

        private void read(String path) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(instance + path))
                    .header("Authorization", "Bearer " + token).GET().build());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Salesforce query: " + r.statusCode() + " " + r.body());
            }
            Map<?, ?> result = (Map<?, ?>) Json.parse(r.body());
            page = ((List<?>) result.get("records")).iterator();
            next = Boolean.TRUE.equals(result.get("done")) ? null : String.valueOf(result.get("nextRecordsUrl"));
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && next != null) {
                read(next);
            }
            return page.hasNext();
        }

        @Override
        public Map<String, Object> next() {
            Map<?, ?> record = (Map<?, ?>) page.next();
            return contactCustomer(prefix + record.get("Id"), record);
        }
    }

    /**
     * Benchmark 7: starts the sandbox's activity simulation for {@code active} customers (the first lines of
     * {@code --ids}, one ticket each, booked evenly over {@code seconds}, each intermediate status lasting
     * {@code dwell-min..dwell-max} ms), samples the Salesforce sandbox's {@code Skiplino_Ticket__c} records every
     * {@code sample-ms} while it runs and for up to {@code drain} seconds after it, then compares each
     * ticket's Skiplino history (control API) with the CRM writes seen:
     * <ul>
     *   <li>a CRM write of a state is the {@code LastModifiedDate} of the first sample showing the ticket with
     *       that {@code Status__c} and {@code Status_At__c};</li>
     *   <li>new booking of an idle customer: from booking ({@code statusAt} of the first state) to the first CRM
     *       write of the ticket, whatever state it carried;</li>
     *   <li>status change of a customer with an open ticket (the CRM already held the ticket when the status
     *       changed): from the new {@code statusAt} to the CRM write of exactly that state; a state the CRM never
     *       showed (overwritten by a later one first, or never written) is counted as missed.</li>
     * </ul>
     */
    static void ticketLag(Map<String, String> o) throws Exception {
        String sandbox = o.get("sandbox");
        int active = Integer.parseInt(o.getOrDefault("active", "1000"));
        long seconds = Long.parseLong(o.getOrDefault("seconds", "240"));
        long drain = Long.parseLong(o.getOrDefault("drain", "120"));
        long sampleMs = Long.parseLong(o.getOrDefault("sample-ms", "1000"));
        double cycle = Double.parseDouble(o.getOrDefault("cycle-seconds", "5"));
        List<String> ids = Files.readAllLines(Path.of(o.get("ids"))).subList(0, active);
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("tickets", active);
        activity.put("externalIds", ids);
        activity.put("eachCustomerOnce", true);
        activity.put("dwellMs", Map.of("min", Long.parseLong(o.getOrDefault("dwell-min", "20000")),
                "max", Long.parseLong(o.getOrDefault("dwell-max", "60000"))));
        activity.put("bookingIntervalMs", Map.of("min", 0, "max", 2 * seconds * 1000 / active));
        activity.put("seed", Long.parseLong(o.getOrDefault("seed", "7")));
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(sandbox + "/sandbox/control/skiplino/activity"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json(activity))).build());
        if (started.statusCode() != 202) {
            throw new IllegalStateException("activity refused: " + started.statusCode() + " " + started.body());
        }
        Instant start = Instant.now();
        // ticket id + "|" + status + "|" + statusAt (ms) -> first CRM write seen of that state
        Map<String, Instant> written = new HashMap<>();
        Map<String, Instant> firstWrite = new HashMap<>();
        Map<?, ?> progress = Map.of();
        long drainUntil = Long.MAX_VALUE;
        int samples = 0;
        while (System.nanoTime() < drainUntil) {
            long t0 = System.nanoTime();
            int finalInCrm = 0;
            for (Object item : (List<?>) Json.parse(get(sandbox + "/sandbox/control/salesforce/sobjects/Skiplino_Ticket__c").body())) {
                Map<?, ?> r = (Map<?, ?>) item;
                Object ticket = r.get("Skiplino_Ticket_Id__c");
                Object status = r.get("Status__c");
                Instant at = instant(r.get("Status_At__c"));
                Instant modified = instant(r.get("LastModifiedDate"));
                if (ticket == null || status == null || at == null || modified == null) {
                    continue;
                }
                written.putIfAbsent(ticket + "|" + status + "|" + at.toEpochMilli(), modified);
                firstWrite.merge(ticket.toString(), modified, (a, b) -> a.isBefore(b) ? a : b);
                if ("served".equals(status) || "cancelled".equals(status)) {
                    finalInCrm++;
                }
            }
            samples++;
            if (drainUntil == Long.MAX_VALUE) {
                progress = (Map<?, ?>) Json.parse(get(sandbox + "/sandbox/control/skiplino/activity").body());
                if (Boolean.TRUE.equals(progress.get("finished"))) {
                    drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
                }
            } else if (finalInCrm >= ((Number) progress.get("booked")).intValue()) {
                break;
            }
            Thread.sleep(Math.max(0, sampleMs - (System.nanoTime() - t0) / 1_000_000));
        }
        Instant end = Instant.now();
        List<Long> newBooking = new ArrayList<>();
        List<Long> statusChange = new ArrayList<>();
        int bookingsNeverMirrored = 0;
        int changesMissed = 0;
        int changesBeforeDiscovery = 0;
        for (Object item : (List<?>) Json.parse(get(sandbox + "/sandbox/control/skiplino/tickets/history").body())) {
            Map<?, ?> t = (Map<?, ?>) item;
            String ticket = String.valueOf(t.get("id"));
            List<?> changes = (List<?>) t.get("changes");
            Instant booked = instant(((Map<?, ?>) changes.get(0)).get("at"));
            Instant first = firstWrite.get(ticket);
            if (first == null) {
                bookingsNeverMirrored++;
            } else {
                newBooking.add(Duration.between(booked, first).toMillis());
            }
            for (int k = 1; k < changes.size(); k++) {
                Map<?, ?> c = (Map<?, ?>) changes.get(k);
                Instant at = instant(c.get("at"));
                if (first == null || !first.isBefore(at)) {
                    changesBeforeDiscovery++;
                    continue;
                }
                Instant w = written.get(ticket + "|" + c.get("status") + "|" + at.toEpochMilli());
                if (w == null) {
                    changesMissed++;
                } else {
                    statusChange.add(Duration.between(at, w).toMillis());
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("activity", progress);
        out.put("measuredSeconds", round(Duration.between(start, end).toMillis() / 1000.0));
        out.put("samples", samples);
        out.put("pollCycleSeconds", cycle);
        Map<String, Object> changed = lagFigures(statusChange, cycle);
        changed.put("missed", changesMissed);
        changed.put("beforeFirstSighting", changesBeforeDiscovery);
        out.put("statusChangeOfOpenTicket", changed);
        Map<String, Object> booking = lagFigures(newBooking, cycle);
        booking.put("neverMirrored", bookingsNeverMirrored);
        // the percentiles are over the mirrored bookings only: with many never mirrored they understate the lag
        booking.put("mirroredShare", round((double) newBooking.size() / Math.max(1, newBooking.size() + bookingsNeverMirrored)));
        out.put("newBookingOfIdleCustomer", booking);
        if (o.containsKey("bridge")) {
            Map<String, Object> metric = new LinkedHashMap<>();
            for (String line : get(o.get("bridge") + "/actuator/prometheus").body().split("\n")) {
                if (line.startsWith("bridge_tickets_mirror_lag_seconds")) {
                    metric.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            out.put("bridgeLagMetric", metric);
        }
        write(o, out);
    }

    /** count, p50/p95/max in ms and p95 in poll cycles of a list of lags (ms). */
    static Map<String, Object> lagFigures(List<Long> lagsMs, double cycleSeconds) {
        long[] sorted = lagsMs.stream().mapToLong(l -> Math.max(0, l) * 1_000_000).sorted().toArray();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("count", sorted.length);
        Map<String, Object> p = percentiles(sorted);
        f.put("lagMs", p);
        if (p.containsKey("p95")) {
            f.put("p95InPollCycles", round((Double) p.get("p95") / 1000.0 / cycleSeconds));
        }
        return f;
    }

    /** An instant written as Skiplino ({@code …Z}) or Salesforce ({@code …+0000}) writes it, to the millisecond; null for null. */
    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        Instant parsed = text.endsWith("Z") ? Instant.parse(text) : java.time.OffsetDateTime.parse(text,
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx")).toInstant();
        return parsed.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Runs an ops resync of every customer ({@code dryRun} false) and waits for its end; prints its view. */
    static void resync(Map<String, String> o) throws Exception {
        String base = o.get("bridge") + "/ops/api/resync";
        HttpResponse<String> started = send(HttpRequest.newBuilder(URI.create(base))
                .header("Authorization", "Bearer " + o.get("token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dryRun\": false, \"by\": \"bench\"}")).build());
        Map<?, ?> job = (Map<?, ?>) Json.parse(started.body());
        long start = System.nanoTime();
        while ("RUNNING".equals(job.get("state"))) {
            Thread.sleep(500);
            job = (Map<?, ?>) Json.parse(send(HttpRequest.newBuilder(URI.create(base + "/" + job.get("id")))
                    .header("Authorization", "Bearer " + o.get("token")).GET().build()).body());
        }
        System.out.printf("{\"resyncSeconds\": %.1f, \"job\": %s}%n", (System.nanoTime() - start) / 1e9, json(job));
    }

    /**
     * Waits until the bridge's Salesforce polls have read at least {@code count} changed records
     * ({@code bridge_salesforce_poll_records_total{kind="changed"}}, counted when a poll ends, after its
     * pages were committed to the inbox), printing the seconds it took.
     */
    static void waitPolled(Map<String, String> o) throws Exception {
        long start = System.nanoTime();
        long count = Long.parseLong(o.getOrDefault("count", "20000"));
        long deadline = start + TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("timeout", "1800")));
        while (System.nanoTime() < deadline) {
            double read = prometheus(o.get("bridge"), "bridge_salesforce_poll_records_total", "kind=\"changed\"");
            if (read >= count) {
                // the backfill is the longest poll; the timer's max covers the last couple of minutes
                double longest = prometheus(o.get("bridge"), "bridge_salesforce_poll_duration_seconds_max", "outcome=\"success\"");
                System.out.printf("{\"polledSeconds\": %.1f, \"recordsRead\": %.0f, \"longestPollSeconds\": %.1f}%n",
                        (System.nanoTime() - start) / 1e9, read, longest);
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the Salesforce poll did not read " + count + " records within the timeout");
    }

    /** The sum of a Prometheus sample over the series whose labels contain {@code labelPart} (0 when absent). */
    static double prometheus(String bridge, String name, String labelPart) {
        double sum = 0;
        for (String line : get(bridge + "/actuator/prometheus").body().split("\n")) {
            if (line.startsWith(name + "{") && line.contains(labelPart) || line.startsWith(name + " ") && labelPart.isEmpty()) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** Waits until the bridge's inbox has no pending change (ops API), printing the seconds it took. */
    static void waitApplied(Map<String, String> o) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("timeout", "1800")));
        String url = o.get("bridge") + "/ops/api/status";
        // the status figures are refreshed every bridge.ops.refresh-interval (2 s here: each refresh counts the
        // backlog, work of the bridge's that a faster refresh would add to every run)
        Thread.sleep(2500);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + o.get("token")).GET().build());
            Map<?, ?> status = (Map<?, ?>) Json.parse(r.body());
            Number pending = (Number) ((Map<?, ?>) status.get("backlog")).get("pendingEvents");
            if (pending.longValue() == 0) {
                System.out.printf("{\"waitedSeconds\": %.1f}%n", (System.nanoTime() - start) / 1e9);
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("backlog not empty within the timeout");
    }

    /**
     * What Skiplino saw of a run, from the sandbox's request log since {@code since}: requests by path
     * and status, the window from the first request's start to the last one's end, the rate over it and
     * the best and worst full seconds, the highest concurrency.
     */
    static void skiplinoWindow(Map<String, String> o) throws Exception {
        Object parsed = Json.parse(get(o.get("sandbox") + "/sandbox/control/skiplino/requests?since="
                + o.getOrDefault("since", "1970-01-01T00:00:00Z")).body());
        List<?> requests = (List<?>) ((Map<?, ?>) parsed).get("requests");
        Map<String, Integer> byKind = new java.util.TreeMap<>();
        Instant first = null;
        Instant last = null;
        Map<Long, Integer> perSecond = new java.util.TreeMap<>();
        List<long[]> spans = new ArrayList<>();
        int writes = 0;
        int customerWrites = 0;
        Instant firstWrite = null;
        Instant lastWrite = null;
        for (Object entry : requests) {
            Map<?, ?> r = (Map<?, ?>) entry;
            Instant s = Instant.parse(r.get("startedAt").toString());
            Instant e = Instant.parse(r.get("endedAt").toString());
            byKind.merge(r.get("method") + " " + r.get("path") + " " + r.get("status"), 1, Integer::sum);
            first = first == null || s.isBefore(first) ? s : first;
            last = last == null || e.isAfter(last) ? e : last;
            perSecond.merge(s.getEpochSecond(), 1, Integer::sum);
            spans.add(new long[]{s.toEpochMilli(), e.toEpochMilli()});
            int status = ((Number) r.get("status")).intValue();
            if (status == 200 || status == 201) {
                writes++;
            }
            if (!"GET".equals(r.get("method")) && (status == 200 || status == 201)) {
                customerWrites++;
                firstWrite = firstWrite == null || s.isBefore(firstWrite) ? s : firstWrite;
                lastWrite = lastWrite == null || e.isAfter(lastWrite) ? e : lastWrite;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", requests.size());
        out.put("byKind", byKind);
        if (first != null) {
            double secs = Duration.between(first, last).toMillis() / 1000.0;
            out.put("windowSeconds", round(secs));
            out.put("requestsPerSecond", round(requests.size() / secs));
            out.put("successfulPerSecond", round(writes / secs));
        }
        if (firstWrite != null && lastWrite.isAfter(firstWrite)) {
            // the customers' writes alone: from the first to the last create or update that Skiplino accepted
            // (the window above also holds the cold start's directory read and the wait for the CRM's first page)
            double writeSecs = Duration.between(firstWrite, lastWrite).toMillis() / 1000.0;
            out.put("writeWindowSeconds", round(writeSecs));
            out.put("writesPerSecond", round(customerWrites / writeSecs));
        }
        if (first != null) {
            List<Integer> full = new ArrayList<>(perSecond.values());
            if (full.size() > 2) {
                full = full.subList(1, full.size() - 1);
                out.put("fullSecondsMin", full.stream().mapToInt(Integer::intValue).min().orElse(0));
                out.put("fullSecondsMedian", full.stream().sorted().toList().get(full.size() / 2));
                out.put("fullSecondsMax", full.stream().mapToInt(Integer::intValue).max().orElse(0));
            }
            out.put("maxConcurrent", maxOverlap(spans));
            out.put("busiest60sRequests", busiestWindow(spans, 60_000));
            out.put("busiest1sRequests", busiestWindow(spans, 1_000));
            // requests started in each wall-clock second of the window, first to last (0 for a silent one)
            List<Integer> seconds = new ArrayList<>();
            for (long second = first.getEpochSecond(); second <= last.getEpochSecond(); second++) {
                seconds.add(perSecond.getOrDefault(second, 0));
            }
            out.put("perSecond", seconds);
        }
        write(o, out);
    }

    // ---------------------------------------------------------------- helpers

    /** The most requests started within any {@code windowMs} (sliding), from their start times. */
    static int busiestWindow(List<long[]> spans, long windowMs) {
        long[] starts = spans.stream().mapToLong(s -> s[0]).sorted().toArray();
        int best = 0;
        for (int from = 0, to = 0; to < starts.length; to++) {
            while (starts[to] - starts[from] >= windowMs) {
                from++;
            }
            best = Math.max(best, to - from + 1);
        }
        return best;
    }

    static int maxOverlap(List<long[]> spans) {
        List<long[]> edges = new ArrayList<>();
        for (long[] s : spans) {
            edges.add(new long[]{s[0], 1});
            edges.add(new long[]{s[1], -1});
        }
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int cur = 0;
        int max = 0;
        for (long[] e : edges) {
            cur += (int) e[1];
            max = Math.max(max, cur);
        }
        return max;
    }

    static Map<String, Object> percentiles(long[] sortedNanos) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (sortedNanos.length == 0) {
            return p;
        }
        for (double q : new double[]{0.5, 0.9, 0.95, 0.99, 0.999}) {
            int idx = (int) Math.min(sortedNanos.length - 1, Math.ceil(q * sortedNanos.length) - 1);
            p.put("p" + (q * 100 == Math.floor(q * 100) ? String.valueOf((int) (q * 100)) : String.valueOf(q * 100)),
                    round(sortedNanos[Math.max(idx, 0)] / 1e6));
        }
        p.put("max", round(sortedNanos[sortedNanos.length - 1] / 1e6));
        return p;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static void write(Map<String, String> o, Map<String, Object> out) throws IOException {
        String text = json(out);
        System.out.println(text);
        if (o.containsKey("out")) {
            Files.writeString(Path.of(o.get("out")), text + "\n");
        }
    }

    static void runThreads(int n, ThrowingRunnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(pool.submit(() -> {
                task.run();
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static HttpResponse<String> send(HttpRequest request) {
        for (int attempt = 1; ; attempt++) {
            try {
                return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                if (attempt == 3) {
                    throw new IllegalStateException(request.uri() + ": " + e, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }

    /** Standard Webhooks signing: v1,base64(HMAC-SHA256(secret, id.timestamp.body)). */
    static final class Signer {
        private final byte[] key;
        private final AtomicLong ids = new AtomicLong();

        Signer(String secret) {
            if (secret == null || !secret.startsWith("whsec_")) {
                throw new IllegalArgumentException("--secret whsec_... is required");
            }
            this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        }

        /** The three Standard Webhooks headers for {@code body}, signed now. */
        Map<String, String> headers(String body) {
            String id = "msg_" + ProcessHandle.current().pid() + "_" + ids.incrementAndGet();
            String timestamp = String.valueOf(Instant.now().getEpochSecond());
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                String signature = Base64.getEncoder().encodeToString(
                        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
                return Map.of("webhook-id", id, "webhook-timestamp", timestamp, "webhook-signature", "v1," + signature);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        HttpRequest.Builder sign(HttpRequest.Builder request, String body) {
            String id = "msg_" + ProcessHandle.current().pid() + "_" + ids.incrementAndGet();
            String timestamp = String.valueOf(Instant.now().getEpochSecond());
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                String signature = Base64.getEncoder().encodeToString(
                        mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
                return request.header("webhook-id", id).header("webhook-timestamp", timestamp)
                        .header("webhook-signature", "v1," + signature).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * A blocking HTTP/1.1 keep-alive client on one socket, for the load generators: one thread per
     * connection and no hand-offs between threads, so the client's own overhead stays small next to
     * the server's on a 2-core machine. Reads {@code Content-Length} bodies only (the bridge's answers).
     */
    static final class RawClient {
        private final URI uri;
        private java.net.Socket socket;
        private java.io.OutputStream out;
        private java.io.InputStream in;

        RawClient(URI uri) {
            this.uri = uri;
        }

        int post(String body, Map<String, String> headers) throws IOException {
            if (socket == null) {
                socket = new java.net.Socket(uri.getHost(), uri.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
                in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST ").append(uri.getRawPath()).append(" HTTP/1.1\r\nHost: ")
                    .append(uri.getHost()).append(':').append(uri.getPort())
                    .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            String status = line();
            int length = 0;
            boolean close = false;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); ; size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    if (size == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    in.readNBytes(size);
                    line();
                }
            } else {
                in.readNBytes(length);
            }
            if (close) {
                close();
            }
            return Integer.parseInt(status.split(" ")[1]);
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    // ---------------------------------------------------------------- minimal JSON

    static String json(Object v) {
        StringBuilder b = new StringBuilder();
        writeJson(b, v);
        return b.toString();
    }

    static void writeJson(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            b.append('"');
            for (char ch : s.toCharArray()) {
                switch (ch) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    default -> {
                        if (ch < 0x20) {
                            b.append(String.format("\\u%04x", (int) ch));
                        } else {
                            b.append(ch);
                        }
                    }
                }
            }
            b.append('"');
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(", ");
                }
                first = false;
                writeJson(b, String.valueOf(e.getKey()));
                b.append(": ");
                writeJson(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                writeJson(b, l.get(i));
            }
            b.append(']');
        } else {
            writeJson(b, v.toString());
        }
    }

    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            return v;
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    i++; // :
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return false;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String num = s.substring(start, i);
            return num.contains(".") || num.contains("e") || num.contains("E") ? (Number) Double.parseDouble(num)
                    : (Number) Long.parseLong(num);
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
