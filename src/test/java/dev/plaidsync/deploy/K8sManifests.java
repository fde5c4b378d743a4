package dev.plaidsync.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The YAML documents under {@code k8s/}, one per {@code ---} separated document, with the
 * file each came from.
 */
final class K8sManifests {

	static final Path DIRECTORY = Path.of("k8s");

	record Document(Path file, int index, String text, Map<String, Object> tree) {

		String kind() {
			return String.valueOf(this.tree.get("kind"));
		}

		String apiVersion() {
			return String.valueOf(this.tree.get("apiVersion"));
		}

		@Override
		public String toString() {
			return this.file.getFileName() + "#" + this.index + " (" + kind() + ")";
		}

	}

	private K8sManifests() {
	}

	static List<Path> files() {
		try (Stream<Path> files = Files.list(DIRECTORY)) {
			return files.filter((file) -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static List<Document> all() {
		List<Document> documents = new ArrayList<>();
		for (Path file : files()) {
			documents.addAll(parse(file, read(file)));
		}
		return documents;
	}

	static List<Document> ofKind(String kind) {
		return all().stream().filter((document) -> document.kind().equals(kind)).toList();
	}

	static Document single(String kind) {
		List<Document> documents = ofKind(kind);
		if (documents.size() != 1) {
			throw new AssertionError("expected one " + kind + " in k8s/, found " + documents);
		}
		return documents.get(0);
	}

	/** The one document of {@code kind} named {@code name}. */
	static Document named(String kind, String name) {
		return ofKind(kind).stream()
			.filter((document) -> name.equals(K8sManifests.<String>at(document.tree(), "metadata", "name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in k8s/"));
	}

	/**
	 * Splits on document separators, so that each document can also be given to fabric8
	 * as text.
	 */
	@SuppressWarnings("unchecked")
	static List<Document> parse(Path file, String text) {
		List<Document> documents = new ArrayList<>();
		int index = 0;
		for (String part : text.split("(?m)^---\\s*$")) {
			Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(part);
			if (tree == null) {
				continue;
			}
			if (!(tree instanceof Map)) {
				throw new AssertionError(file + ": a document that is not a mapping");
			}
			documents.add(new Document(file, index++, part, (Map<String, Object>) tree));
		}
		return documents;
	}

	static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static <T> T at(Map<String, Object> tree, String... path) {
		Object node = tree;
		for (String key : path) {
			if (!(node instanceof Map<?, ?> map) || !map.containsKey(key)) {
				throw new AssertionError("no " + String.join(".", path));
			}
			node = map.get(key);
		}
		return (T) node;
	}

}
