package dev.rnn4j.testkit;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.KernelSets;
import dev.rnn4j.tensor.KernelScope;
import java.lang.reflect.Method;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link ForEachKernelSet}: one invocation per kernel set, each with its kernels current
 * on the test thread, injectable as a {@link Kernels} parameter, and skipped with the reason where the kernels are
 * unavailable.
 */
public final class KernelSetExtension implements TestTemplateInvocationContextProvider {

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, ForEachKernelSet.class)).orElse(false);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
    return Stream.of(new KernelSetRun("scalar", KernelSets.scalar(), null),
        new KernelSetRun("simd", KernelSets.simd().orElse(null), KernelSets.simdUnavailableReason()));
  }

  /** One run: the kernels (null when unavailable, with the reason). */
  record KernelSetRun(String label, Kernels kernels, String unavailable)
      implements TestTemplateInvocationContext {

    @Override
    public String getDisplayName(int invocationIndex) {
      return kernels == null ? "[" + label + "]" : "[" + kernels + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new Condition(), new Resolver(), new Scope());
    }

    private final class Condition implements ExecutionCondition {
      @Override
      public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return kernels != null ? ConditionEvaluationResult.enabled(label + " kernels available")
            : ConditionEvaluationResult.disabled(label + " kernels unavailable in this JVM: " + unavailable);
      }
    }

    private final class Resolver implements ParameterResolver {
      @Override
      public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Kernels.class;
      }

      @Override
      public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return kernels;
      }
    }

    private final class Scope implements InvocationInterceptor {
      @Override
      @SuppressWarnings("try") // the scope is used for its effect only
      public void interceptTestTemplateMethod(Invocation<Void> invocation,
                                              ReflectiveInvocationContext<Method> invocationContext,
                                              ExtensionContext extensionContext) throws Throwable {
        try (KernelScope s = KernelScope.use(kernels)) {
          invocation.proceed();
        }
      }
    }
  }
}
