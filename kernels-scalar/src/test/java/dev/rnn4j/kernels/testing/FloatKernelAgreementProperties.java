package dev.rnn4j.kernels.testing;

// Generated from DoubleKernelAgreementProperties.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.ScalarFloatKernels;

/**
 * Agreement of a candidate {@link FloatKernels} with the scalar spec {@link ScalarFloatKernels}, for every kernel,
 * over random sizes (odd sizes, sizes around vector widths, zero), leading dimensions larger than the row, all
 * transposes, nonzero offsets, the aliasing the contract allows, and random values of mixed magnitude and sign.
 *
 * <p>Subclass it and supply the candidate:
 * <pre>{@code
 * class SimdFloatKernelsAgreementProperties extends FloatKernelAgreementProperties {
 *   protected FloatKernels candidate() { return new SimdFloatKernels(); }
 * }
 * }</pre>
 * jqwik runs the inherited {@code @Property} methods for each concrete subclass.
 *
 * <p>Each property draws a seed; the case is built from it by a public static {@code xxxCase(Random)} factory, and
 * checked by a public static {@code checkXxx(reference, candidate, case)} that throws {@link AssertionError} on
 * disagreement, so other tests (such as the mutant tests) can call the checks directly. Every check also verifies
 * that the candidate left its inputs unchanged and touched nothing outside its output ranges. Tolerances come from
 * {@link ErrorBounds} ({@code agreement(bound)} = twice the one-implementation bound); exact operations
 * (add, mul, copy, max, relu ...) must agree exactly.
 *
 * <p>The suite is split by kernel family into a chain of abstract classes, each extending the one before:
 * {@link FloatBlasAgreementProperties} (gemm and its packed forms, gemv, axpy, dot, scal; it declares
 * {@link #candidate()}), {@link FloatPointwiseAgreementProperties} (elementwise kernels and maps),
 * {@link FloatReductionAgreementProperties} (reductions and softmax), {@link FloatRecurrentAgreementProperties}
 * (LSTM and GRU) and {@link FloatOptimizerAgreementProperties} (SGD and Adam); this class closes the chain. jqwik
 * runs inherited properties, so one subclass of this class with one {@link #candidate()} runs the whole suite. Each
 * family class holds the cases and checks of its kernels; what several families share (the scalar spec, random
 * arrays, {@code VectorCase}) is in {@link FloatKernelTestSupport}.
 */
@SuppressWarnings("cast")
public abstract class FloatKernelAgreementProperties extends FloatOptimizerAgreementProperties {
}
