package dev.plaidsync.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The anchors GitHub gives a Markdown page's headings: the heading's text as rendered
 * (links by their text, code spans by their content, emphasis dropped), lower-cased,
 * every character other than a letter, digit, space, hyphen or underscore removed, each
 * space made a hyphen; a repeated anchor gets {@code -1}, {@code -2}, ... Lines inside
 * fenced code blocks are not headings.
 */
final class MarkdownAnchors {

	private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$");

	private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)]\\([^)]*\\)");

	private MarkdownAnchors() {
	}

	static Set<String> of(String markdown) {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : outsideCodeBlocks(markdown)) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String slug = slug(heading.group(2));
				int count = seen.merge(slug, 1, Integer::sum);
				anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
		}
		return anchors;
	}

	static String slug(String headingText) {
		String text = LINK.matcher(headingText).replaceAll("$1").replace("`", "").replace("*", "");
		return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
	}

	/** The page's lines, with every fenced code block (``` or ~~~) left out. */
	static List<String> outsideCodeBlocks(String markdown) {
		List<String> lines = new ArrayList<>();
		String fence = null;
		for (String line : markdown.split("\n", -1)) {
			String trimmed = line.stripLeading();
			if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
				fence = trimmed.substring(0, 3);
			}
			else if (fence != null && trimmed.startsWith(fence)) {
				fence = null;
			}
			else if (fence == null) {
				lines.add(line);
			}
		}
		return lines;
	}

}
