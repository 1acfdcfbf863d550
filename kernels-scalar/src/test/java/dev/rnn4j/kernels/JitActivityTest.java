package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class JitActivityTest {

  @Test
  void tier4MinInvocationsIsHotSpotsDefaultUnlessTheFlagIsSet() {
    assumeTrue(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class) != null,
        "a HotSpot JVM");
    boolean set = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .anyMatch(a -> a.contains("Tier4MinInvocationThreshold") || a.contains("TieredStopAtLevel")
            || a.contains("CompileThresholdScaling"));
    assumeTrue(!set, "the JVM runs with the default tiered thresholds");
    // HotSpot's documented default (globals_*.hpp / compiler_globals.hpp: Tier4MinInvocationThreshold = 600)
    assertEquals(600, JitActivity.tier4MinInvocations());
  }
}
