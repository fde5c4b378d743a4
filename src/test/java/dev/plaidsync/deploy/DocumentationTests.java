package dev.plaidsync.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README stays a front door, and no link of it or of docs/ points at a file or
 * heading that is not there.
 */
class DocumentationTests {

	static final Path README = Path.of("README.md");

	static final int README_MAX_LINES = 250;

	/**
	 * An inline link or image: {@code [text](target)} or {@code [text](target "title")}.
	 */
	private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

	@Test
	void theReadmeIsAFrontDoorOfAtMost250Lines() {
		long lines = K8sManifests.read(README).lines().count();
		assertThat(lines).as("lines of README.md; the rest belongs in docs/").isLessThanOrEqualTo(README_MAX_LINES);
	}

	@Test
	void everyRelativeLinkOfTheReadmeAndDocsPointsAtAFileAndHeadingThatExist() {
		List<String> broken = new ArrayList<>();
		for (Path page : pages()) {
			for (String target : relativeLinks(K8sManifests.read(page))) {
				String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
				String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
				Path file = path.isEmpty() ? page : page.toAbsolutePath().getParent().resolve(path).normalize();
				if (!Files.exists(file)) {
					broken.add(page + ": " + target + " (no such file)");
				}
				else if (anchor != null && file.toString().endsWith(".md")
						&& !MarkdownAnchors.of(K8sManifests.read(file)).contains(anchor)) {
					broken.add(page + ": " + target + " (no such heading)");
				}
			}
		}
		assertThat(broken).isEmpty();
	}

	@Test
	void theReadmeNamesEveryEnvironmentVariableTheConfigurationReads() {
		Set<String> variables = new TreeSet<>(Set.of("SERVER_PORT", "MANAGEMENT_SERVER_PORT", "SPRING_DATASOURCE_URL",
				"SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD"));
		Pattern placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
		for (Path yml : applicationYmls()) {
			placeholder.matcher(K8sManifests.read(yml)).results().forEach((match) -> variables.add(match.group(1)));
		}
		assertThat(variables).contains("PLAID_ENV", "PLAID_WEBHOOK_URL");
		String configureIt = section(K8sManifests.read(README), "## Configure it");
		Set<String> tableRows = configureIt.lines()
			.filter((line) -> line.startsWith("| `"))
			.collect(Collectors.toSet());
		assertThat(variables).allSatisfy((variable) -> assertThat(tableRows)
			.as("a row of the README's table naming %s", variable)
			.anySatisfy((row) -> assertThat(row.substring(0, row.indexOf(" | ", 2))).contains("`" + variable + "`")));
	}

	@Test
	void anchorsFollowGitHubsRules() {
		assertThat(MarkdownAnchors.of("""
				# Runbook
				## PlaidSyncJobFailed
				```bash
				# not a heading
				```
				### Inside `sync`
				## Plaid's webhooks
				## What the engine already did: a bad day
				## [The user API](api.md) and more
				## Running locally
				## Running locally
				""")).containsExactly("runbook", "plaidsyncjobfailed", "inside-sync", "plaids-webhooks",
				"what-the-engine-already-did-a-bad-day", "the-user-api-and-more", "running-locally",
				"running-locally-1");
	}

	@Test
	void linksInCodeAreNotLinks() {
		assertThat(relativeLinks("""
				See [the runbook](docs/runbook.md#x), not `[a](b.md)`, nor [the site](https://example.com).
				```bash
				echo '[c](d.md)'
				```
				""")).containsExactly("docs/runbook.md#x");
	}

	static List<String> relativeLinks(String markdown) {
		List<String> targets = new ArrayList<>();
		for (String line : MarkdownAnchors.outsideCodeBlocks(markdown)) {
			Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
			while (link.find()) {
				String target = link.group(1);
				if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
					targets.add(target);
				}
			}
		}
		return targets;
	}

	/** README.md and every page under docs/. */
	static List<Path> pages() {
		List<Path> pages = new ArrayList<>(List.of(README));
		try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
			docs.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return pages;
	}

	static List<Path> applicationYmls() {
		try (Stream<Path> files = Files.list(Path.of("src/main/resources"))) {
			return files.filter((file) -> file.getFileName().toString().matches("application.*\\.ya?ml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** From the heading to the next heading of the same level. */
	static String section(String markdown, String heading) {
		int start = markdown.indexOf("\n" + heading + "\n");
		assertThat(start).as("the README has a section %s", heading).isNotNegative();
		int end = markdown.indexOf("\n## ", start + heading.length() + 1);
		return markdown.substring(start, (end < 0) ? markdown.length() : end);
	}

}
