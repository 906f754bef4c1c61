package org.fabai.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JMH benchmark method as the <em>peer</em> of a fabai benchmark: the same work done by
 * another library, run in the same JMH run so that the report can print the ratio fabai/peer.
 *
 * <p>The report ({@code org.fabai.benchmarks.tools.RatioReport} (in fabai-benchmarks)) pairs a peer result with the
 * fabai result of the named benchmark that has the same JMH parameters. A peer may also be a
 * variant of fabai's own call that shows what a change would gain (its name says so).
 *
 * <p>An annotation: immutable and thread-safe.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PeerOf {

    /**
     * The fabai benchmark this one is the peer of: a method name in the same class, or a fully
     * qualified {@code package.Class.method} name.
     *
     * @return the benchmark name
     */
    String value();

    /**
     * What the peer is, as printed in the report (library and call), e.g.
     * {@code "java.awt AffineTransformOp NEAREST"}.
     *
     * @return the peer's display name
     */
    String name();
}
