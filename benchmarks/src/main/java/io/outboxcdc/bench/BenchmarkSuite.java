package io.outboxcdc.bench;

import io.outboxcdc.bench.measure.ForeignCpu;
import io.outboxcdc.bench.measure.PeakMemory;
import io.outboxcdc.bench.report.Csv;
import io.outboxcdc.bench.report.Report;
import io.outboxcdc.bench.scenario.CpuProfile;
import io.outboxcdc.bench.scenario.Drains;
import io.outboxcdc.bench.scenario.RateSearch;
import io.outboxcdc.bench.scenario.ReadmeLoad;
import io.outboxcdc.bench.scenario.RelayDesigns;
import io.outboxcdc.bench.scenario.RelayOnConnect;
import io.outboxcdc.bench.scenario.RestVersusJdbc;
import io.outboxcdc.bench.scenario.Startup;
import io.outboxcdc.bench.stack.BenchStack;
import io.outboxcdc.system.stack.JvmSettings;
import io.outboxcdc.system.stack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The benchmark suite (issues 8 and 15). Starts the whole system (every part its own process) on free ports, warms
 * it, runs the sections in an order that needs few restarts, and writes report.md (headline with targets first),
 * CSV files and delay-vs-rate.svg.
 *
 * <pre>java -jar benchmarks/target/benchmarks-exec.jar [--quick] [--only=rates,drain] [--out=DIR] [--data-dir=DIR]
 *     [--pin-load=CPUS --pin-system=CPUS] [--max-foreign-cpu=PCT]</pre>
 */
public final class BenchmarkSuite {

    /** Sections in run order; start-up, warm-up and memory always run. */
    public static final List<String> SECTIONS = List.of("readme-load", "rates", "profile", "rest-jdbc", "drain",
            "relay-designs", "relay-connect");
    /** Sections the CI smoke ({@code --quick}) leaves out: each starts two Kafka Connect workers, twice. */
    static final Set<String> NOT_QUICK = Set.of("relay-connect");

    private final Sizes sizes;
    private final Path out;
    private final Path dataDir;
    private final Set<String> only;
    private final String pinLoad;
    private final String pinSystem;
    private final double maxForeignCpu;

    BenchmarkSuite(Sizes sizes, Path out, Path dataDir) {
        this(sizes, out, dataDir, Set.copyOf(SECTIONS), null, null, 25);
    }

    BenchmarkSuite(Sizes sizes, Path out, Path dataDir, Set<String> only, String pinLoad, String pinSystem,
            double maxForeignCpu) {
        this.sizes = sizes;
        this.out = out;
        this.dataDir = dataDir;
        Set<String> sections = new LinkedHashSet<>(only);
        if (sizes.quick()) {
            sections.removeAll(NOT_QUICK);
        }
        this.only = sections;
        this.pinLoad = pinLoad;
        this.pinSystem = pinSystem;
        this.maxForeignCpu = maxForeignCpu;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            options.put(eq < 0 ? arg.replaceFirst("^--", "") : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Path home = StackConfig.findHome();
        Sizes sizes = options.containsKey("quick") ? Sizes.smoke() : Sizes.full();
        Path out = Path.of(options.getOrDefault("out", home.resolve("benchmarks/target/bench").toString()));
        Path data = Path.of(options.getOrDefault("data-dir", home.resolve("benchmarks/target/bench-data").toString()));
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        if (options.containsKey("only")) {
            only.clear();
            for (String s : options.get("only").split(",")) {
                if ("none".equals(s.trim())) {
                    continue; // start-up, warm-up and memory only
                }
                if (!SECTIONS.contains(s.trim())) {
                    System.err.println("unknown section '" + s + "'; sections: " + SECTIONS);
                    System.exit(2);
                }
                only.add(s.trim());
            }
        }
        Path report = new BenchmarkSuite(sizes, out, data, only, options.get("pin-load"), options.get("pin-system"),
                Double.parseDouble(options.getOrDefault("max-foreign-cpu", "25"))).run();
        System.out.println("Report: " + report);
        System.exit(0);
    }

    /** The sections this suite runs (start-up, warm-up and memory besides). */
    Set<String> sections() {
        return Set.copyOf(only);
    }

    /** Runs the sections; returns the path of report.md. */
    public Path run() throws Exception {
        Files.createDirectories(out);
        long begin = System.nanoTime();
        Report report = new Report(out.resolve("report.md"));
        Bench bench = new Bench(sizes, out, report, maxForeignCpu, sizes.quick() ? 0 : 4);
        header(report);
        if (pinLoad != null) {
            BenchStack.pinTree(ProcessHandle.current().pid(), pinLoad);
        }
        // Start-up is measured once per launch kind, never re-run: its machine-load row says how quiet it was.
        String loadAverage = ForeignCpu.loadAverage();
        double quietBefore = bench.awaitQuiet();
        BenchStack stack = new Startup(bench, pinSystem).start(dataDir);
        report.load(new Report.Load("start-up", loadAverage, quietBefore, Double.NaN, 0));
        // Ctrl-C must not leave the services, Kafka and PostgreSQL running.
        Thread stopper = new Thread(stack::close, "bench-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        bench.attach(stack);
        report.write();
        try (PeakMemory memory = new PeakMemory(stack::pids)) {
            bench.warmUp().untilSteady("stack start", List.of("order-app", "outbox-relay", "billing-consumer"));
            bench.settleBilling(sizes.catchUp());
            section("readme-load", report, () -> new ReadmeLoad(bench).run());
            section("rates", report, () -> new RateSearch(bench).run());
            section("profile", report, () -> new CpuProfile(bench).run());
            section("rest-jdbc", report, () -> new RestVersusJdbc(bench).run());
            section("drain", report, () -> new Drains(bench).run());
            section("relay-designs", report, () -> new RelayDesigns(bench).run());
            section("relay-connect", report, () -> new RelayOnConnect(bench).run());
            memory.sample();
            memorySection(report, memory.peaks(), stack.localStack().jvmSettings());
            bench.warmUp().writeTo(report);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopper);
            stack.close();
        }
        report.text(String.format(Locale.ROOT, "%nSuite took %.0f s.%n", (System.nanoTime() - begin) / 1e9));
        return report.write();
    }

    private interface Section {
        void run() throws Exception;
    }

    private void section(String name, Report report, Section section) throws Exception {
        if (!only.contains(name)) {
            return;
        }
        long begin = System.nanoTime();
        section.run();
        Bench.log(String.format(Locale.ROOT, "Section %s took %.0f s", name, (System.nanoTime() - begin) / 1e9));
        report.write();
    }

    private static void memorySection(Report report, Map<String, Double> peaks, JvmSettings jvm) {
        report.section("Peak memory (VmHWM)");
        report.text("| process | peak RSS MiB |\n|---|---|\n");
        Csv csv = new Csv(report.write().resolveSibling("memory.csv"), "process", "peak_rss_mib");
        StringBuilder headline = new StringBuilder();
        peaks.forEach((name, mib) -> {
            csv.row(name, mib);
            report.line("| %s | %s |", name, Csv.num(mib));
            if (List.of("order-app", "outbox-relay", "billing-consumer", "kafka").contains(name)) {
                headline.append(headline.length() == 0 ? "" : " / ").append(Csv.num(mib));
            }
        });
        report.line("%nServices run with `%s`%s; the Kafka broker with `-Xms128m -Xmx512m -XX:+UseG1GC`.",
                String.join(" ", jvm.flags()), jvm.classDataSharing() ? " and an AppCDS archive" : "");
        report.headline("peak RSS order-app / relay / billing / Kafka (MiB)", headline.toString(), null, null);
    }

    private void header(Report report) {
        report.intro(String.format(Locale.ROOT, """
                # outbox-cdc benchmarks

                Run %s UTC%s. Machine: %d cores, %.0f GiB RAM, %s, JDK %s. Every part is its own process on this one \
                machine; the load generator (this benchmark's JVM) shares the cores%s. Load average at the start: %s. \
                Sections: %s.
                """, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").format(Instant.now().atOffset(ZoneOffset.UTC)),
                sizes.quick() ? " (**--quick**: tiny sizes, a smoke test, not figures)" : "",
                Runtime.getRuntime().availableProcessors(), totalMemoryGiB(), osRelease(),
                System.getProperty("java.version"),
                pinLoad == null ? "" : " — pinned: load generator on CPUs " + pinLoad + ", system on "
                        + (pinSystem == null ? "all" : pinSystem),
                ForeignCpu.loadAverage(), String.join(", ", only)));
    }

    private static double totalMemoryGiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return Double.NaN;
    }

    private static String osRelease() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux.
        }
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }
}
