package org.fabai.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A self-contained static HTML report: sections of text, tables, key figures and PNG images
 * stored next to {@code index.html}. Not thread-safe.
 */
public final class HtmlReport {

    private final Path dir;
    private final String title;
    private final StringBuilder body = new StringBuilder();
    private final List<String> toc = new ArrayList<>();
    private final List<String> images = new ArrayList<>();

    /**
     * @param dir   output folder (created)
     * @param title page title
     * @throws IOException if the folder cannot be created
     */
    public HtmlReport(Path dir, String title) throws IOException {
        this.dir = dir;
        this.title = title;
        Files.createDirectories(dir.resolve("img"));
    }

    /** @return the output folder */
    public Path dir() {
        return dir;
    }

    /**
     * @param name file name under {@code img/}
     * @return the path an image of that name should be written to
     */
    public Path imagePath(String name) {
        return dir.resolve("img").resolve(name);
    }

    /**
     * Starts a section.
     *
     * @param id      anchor id
     * @param heading heading text
     * @return this
     */
    public HtmlReport section(String id, String heading) {
        toc.add("<a href=\"#" + esc(id) + "\">" + esc(heading) + "</a>");
        body.append("<h2 id=\"").append(esc(id)).append("\">").append(esc(heading)).append("</h2>\n");
        return this;
    }

    /**
     * @param text a paragraph (escaped)
     * @return this
     */
    public HtmlReport paragraph(String text) {
        body.append("<p>").append(esc(text)).append("</p>\n");
        return this;
    }

    /**
     * Key figures shown as labelled numbers; each carries a {@code data-key} attribute so tests
     * can compare it with what the command printed.
     *
     * @param keysAndValues alternating key, value
     * @return this
     */
    public HtmlReport figures(String... keysAndValues) {
        body.append("<div class=\"figs\">");
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            body.append("<div class=\"fig\"><span class=\"v\" data-key=\"").append(esc(keysAndValues[i])).append("\">")
                    .append(esc(keysAndValues[i + 1])).append("</span><span class=\"k\">")
                    .append(esc(keysAndValues[i])).append("</span></div>");
        }
        body.append("</div>\n");
        return this;
    }

    /**
     * @param header column names
     * @param rows   rows of cells (escaped)
     * @return this
     */
    public HtmlReport table(List<String> header, List<List<String>> rows) {
        body.append("<table><thead><tr>");
        for (String h : header) {
            body.append("<th>").append(esc(h)).append("</th>");
        }
        body.append("</tr></thead><tbody>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (String c : r) {
                body.append("<td>").append(esc(c)).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        return this;
    }

    /**
     * Adds an image already written under {@code img/}.
     *
     * @param name    file name under {@code img/}
     * @param caption caption
     * @return this
     */
    public HtmlReport image(String name, String caption) {
        images.add("img/" + name);
        body.append("<figure><img src=\"img/").append(esc(name)).append("\" alt=\"").append(esc(caption))
                .append("\"><figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
        return this;
    }

    /**
     * A gallery of small images with captions.
     *
     * @param names    file names under {@code img/}
     * @param captions one caption per image
     * @return this
     */
    public HtmlReport gallery(List<String> names, List<String> captions) {
        body.append("<div class=\"gallery\">");
        for (int i = 0; i < names.size(); i++) {
            images.add("img/" + names.get(i));
            body.append("<figure class=\"thumb\"><img src=\"img/").append(esc(names.get(i))).append("\" alt=\"")
                    .append(esc(captions.get(i))).append("\"><figcaption>").append(esc(captions.get(i)))
                    .append("</figcaption></figure>");
        }
        body.append("</div>\n");
        return this;
    }

    /** @return relative paths of every image referenced so far */
    public List<String> images() {
        return List.copyOf(images);
    }

    /**
     * Writes {@code index.html}.
     *
     * @return its path
     * @throws IOException if writing fails
     */
    public Path write() throws IOException {
        StringBuilder s = new StringBuilder();
        s.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}\n")
                .append("h1{margin-bottom:.2em} nav a{margin-right:1em} h2{border-bottom:1px solid #ccc;padding-top:.5em}\n")
                .append("table{border-collapse:collapse;margin:.5em 0} td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}\n")
                .append("th{background:#f3f3f3} td:first-child,th:first-child{text-align:left}\n")
                .append(".figs{display:flex;flex-wrap:wrap;gap:1em;margin:.5em 0}.fig{background:#f6f8fa;padding:.5em 1em;border-radius:6px}\n")
                .append(".fig .v{font-size:1.4em;font-weight:600;display:block}.fig .k{color:#666;font-size:.85em}\n")
                .append(".gallery{display:flex;flex-wrap:wrap;gap:.5em}.thumb img{width:120px;image-rendering:pixelated}\n")
                .append("figure{margin:.5em}figcaption{font-size:.8em;color:#555;text-align:center}\n")
                .append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n<nav>")
                .append(String.join(" ", toc)).append("</nav>\n").append(body)
                .append(String.format(Locale.ROOT, "<footer><p><small>generated by fabai %s</small></p></footer>",
                        esc(org.fabai.core.FabaiVersion.get())))
                .append("\n</body></html>\n");
        Path index = dir.resolve("index.html");
        Files.writeString(index, s.toString(), StandardCharsets.UTF_8);
        return index;
    }

    /**
     * @param s text
     * @return the text with HTML special characters escaped
     */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                default: b.append(c);
            }
        }
        return b.toString();
    }
}
