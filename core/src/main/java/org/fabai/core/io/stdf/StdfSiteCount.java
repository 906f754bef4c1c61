package org.fabai.core.io.stdf;

/**
 * Parts one test site of one head tested on a wafer, counted over all its PRRs (retests included).
 *
 * <p>Immutable and thread-safe.
 *
 * @param head       HEAD_NUM
 * @param site       SITE_NUM
 * @param parts      PRRs of this site
 * @param passed     of them with a pass indication
 * @param failed     of them with a fail indication
 */
public record StdfSiteCount(int head, int site, int parts, int passed, int failed) {
}
