package dev.rnn4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method once per kernel set: under the scalar spec, and under the SIMD kernels. Each run has its kernel
 * set current on the test thread ({@link dev.rnn4j.tensor.KernelScope}), so every op, forward and backward, uses
 * it; a parameter of type {@link dev.rnn4j.kernels.Kernels} receives it.
 *
 * <pre>{@code
 * @ForEachKernelSet
 * void trainsOneStep(Kernels kernels) { ... }
 * }</pre>
 *
 * Where this JVM cannot run the SIMD kernels (no {@code --add-modules=jdk.incubator.vector}, no C2, vectors under
 * 128 bits), the SIMD run is reported as skipped, with the selector's reason.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(KernelSetExtension.class)
public @interface ForEachKernelSet {}
