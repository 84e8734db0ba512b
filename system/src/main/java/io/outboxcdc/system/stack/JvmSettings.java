package io.outboxcdc.system.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the local stack runs its three Spring Boot JVMs on a small box (issue 15): heap, garbage collector and
 * application class-data sharing.
 *
 * <ul>
 *   <li><b>Serial GC</b>: with two cores, G1's concurrent refinement and marking threads compete with the very
 *       requests they serve, and its write barriers cost throughput; live sets here are tens of MB, so a
 *       stop-the-world young collection takes a few ms. (The JVM itself picks Serial on machines with fewer than
 *       two CPUs or less than 1792 MB.)</li>
 *   <li><b>Heap 256 MB max, 32 MB initial</b> (was 512 MB): a Spring Boot service's live set is tens of MB; a
 *       lower ceiling keeps the resident set small. The benchmark reports each service's peak RSS and its GC
 *       threads' CPU per order, so a ceiling that costs collections shows there.</li>
 *   <li><b>AppCDS</b>: each jar is extracted once and its loaded classes archived at the first graceful exit;
 *       later starts map the archive (see testkit's {@code ClassDataSharing}). Off with
 *       {@code OUTBOXCDC_CDS=off}.</li>
 * </ul>
 * Thread pools are the services' own settings, not overridden here: order-app sizes its pool and Tomcat together
 * (10 connections, 20 request threads: order-app/README.md, "Write path"), the relay runs one engine thread and
 * one producer, billing one listener thread per partition it owns. The benchmark's "Where the CPU goes" section
 * shows the CPU of every thread group (GC and JIT included) per order.
 *
 * @param classDataSharing run from the extracted jar with an AppCDS archive
 * @param flags JVM flags every service gets
 */
public record JvmSettings(boolean classDataSharing, List<String> flags) {

    public static final List<String> SMALL_BOX = List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m");
    /** What the stack used before issue 15, for comparisons. */
    public static final List<String> PREVIOUS = List.of("-Xmx512m");

    public JvmSettings {
        flags = List.copyOf(flags);
    }

    /** Small-box flags; class-data sharing unless {@code OUTBOXCDC_CDS=off}. */
    public static JvmSettings defaults() {
        return fromEnvironment(System.getenv());
    }

    static JvmSettings fromEnvironment(Map<String, String> env) {
        boolean cds = !"off".equalsIgnoreCase(env.getOrDefault("OUTBOXCDC_CDS", "on").trim());
        return new JvmSettings(cds, SMALL_BOX);
    }

    public JvmSettings withClassDataSharing(boolean on) {
        return new JvmSettings(on, flags);
    }

    public JvmSettings withFlags(List<String> replacement) {
        return new JvmSettings(classDataSharing, replacement);
    }

    /** The flags of one service (the same for all three today; the hook for per-service sizes). */
    public List<String> flagsFor(String module) {
        return new ArrayList<>(flags);
    }
}
