package dev.plaidsync.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

import dev.plaidsync.deploy.K8sManifests.Document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The core kinds in k8s/ parse strictly with fabric8, and say what the engine needs. */
class CoreManifestsTests {

	static final Set<String> CORE_KINDS = Set.of("Namespace", "Deployment", "Service", "Ingress", "ConfigMap", "Secret",
			"PodDisruptionBudget", "NetworkPolicy");

	static final Set<String> OPERATOR_KINDS = Set.of("ServiceMonitor", "PrometheusRule", "Kustomization");

	@Test
	void everyDocumentIsAKnownKind() {
		assertThat(K8sManifests.all()).isNotEmpty()
			.allSatisfy((document) -> assertThat(
					CORE_KINDS.contains(document.kind()) || OPERATOR_KINDS.contains(document.kind()))
				.as("%s", document)
				.isTrue());
		assertThat(K8sManifests.all()).extracting(Document::kind).containsAll(CORE_KINDS).containsAll(OPERATOR_KINDS);
	}

	@Test
	void coreKindsParseWithNoUnknownField() {
		for (Document document : K8sManifests.all()) {
			if (CORE_KINDS.contains(document.kind())) {
				HasMetadata resource = StrictKubernetesParsing.parseTyped(document.text());
				assertThat(resource.getKind()).isEqualTo(document.kind());
				assertThat(StrictKubernetesParsing.unknownFields(resource)).as("unknown fields in %s", document)
					.isEmpty();
			}
		}
	}

	@Test
	void aMisspelledFieldAtAnyDepthFails() {
		HasMetadata typo = StrictKubernetesParsing.parseTyped("""
				apiVersion: apps/v1
				kind: Deployment
				metadata:
				  name: typo
				spec:
				  replicass: 2
				  selector:
				    matchLabels: {app: typo}
				  template:
				    metadata:
				      labels: {app: typo}
				    spec:
				      containers:
				        - name: c
				          image: x
				          readinessProbe:
				            httpGet: {path: /, port: 8080}
				            periodSecond: 5
				""");
		assertThat(StrictKubernetesParsing.unknownFields(typo)).containsExactlyInAnyOrder("spec.replicass",
				"spec.template.spec.containers[0].readinessProbe.periodSecond");
		assertThatThrownBy(() -> StrictKubernetesParsing.parseTyped("""
				apiVersion: apps/v1
				kind: Deploymentt
				metadata: {name: x}
				""")).isInstanceOf(AssertionError.class);
	}

	@Test
	void theDeploymentRunsTwoHardenedReplicasProbedOnTheHealthGroups() {
		Deployment deployment = typed("Deployment", Deployment.class);
		assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
		assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
		assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();

		PodSpec pod = deployment.getSpec().getTemplate().getSpec();
		Container engine = pod.getContainers().get(0);
		assertThat(pod.getContainers()).hasSize(1);
		assertThat(engine.getPorts()).extracting((port) -> port.getName() + ":" + port.getContainerPort())
			.containsExactly("http:8080", "management:8081");
		assertThat(engine.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
		assertThat(engine.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
		assertThat(List.of(engine.getStartupProbe(), engine.getLivenessProbe(), engine.getReadinessProbe()))
			.allSatisfy((probe) -> assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http"));
		assertThat(engine.getResources().getRequests()).containsKeys("cpu", "memory");
		assertThat(engine.getResources().getLimits()).containsKeys("cpu", "memory");

		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
		assertThat(engine.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
		assertThat(engine.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
		assertThat(engine.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
		assertThat(engine.getVolumeMounts()).anySatisfy((mount) -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
		assertThat(pod.getVolumes()).anySatisfy((volume) -> assertThat(volume.getEmptyDir()).isNotNull());

		// the image runs as the uid the manifest demands
		Matcher user = Pattern.compile("<user>(\\d+):(\\d+)</user>").matcher(K8sManifests.read(Path.of("pom.xml")));
		assertThat(user.find()).as("jib <container><user> in pom.xml").isTrue();
		assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
		assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(Long.parseLong(user.group(2)));

		// a SIGTERM lets the running chunk end: preStop, then Spring's 30 s phase, within
		// the grace period
		long preStop = engine.getLifecycle().getPreStop().getSleep().getSeconds();
		assertThat(preStop).isBetween(5L, 30L);
		assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(preStop + 30 + 50)
			.isLessThanOrEqualTo(300);

		assertThat(engine.getEnvFrom())
			.extracting((source) -> source.getConfigMapRef() != null ? "configmap:" + source.getConfigMapRef().getName()
					: "secret:" + source.getSecretRef().getName())
			.containsExactlyInAnyOrder("configmap:" + ManifestEnvironmentTests.configMap().getMetadata().getName(),
					"secret:plaid-sync-secrets");
	}

	@Test
	void theIngressExposesOnlyTheWebhookAndTheApiOverTls() {
		Ingress ingress = typed("Ingress", Ingress.class);
		Service service = typed("Service", Service.class);
		List<HTTPIngressPath> paths = ingress.getSpec()
			.getRules()
			.stream()
			.flatMap((rule) -> rule.getHttp().getPaths().stream())
			.toList();
		assertThat(paths).extracting(HTTPIngressPath::getPath).containsExactlyInAnyOrder("/webhook/plaid", "/api/");
		assertThat(paths).allSatisfy((path) -> {
			assertThat(path.getPathType()).isIn("Prefix", "Exact");
			assertThat(path.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
			assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
			assertThat(path.getPath()).doesNotStartWith("/ops").doesNotStartWith("/actuator").isNotEqualTo("/");
		});
		assertThat(ingress.getSpec().getTls()).isNotEmpty();
		assertThat(service.getSpec().getPorts())
			.extracting((port) -> port.getName() + ":" + port.getPort() + "->" + port.getTargetPort().getStrVal())
			.containsExactly("http:8080->http", "management:8081->management");
	}

	@Test
	void disruptionsAndNetworkAreBounded() {
		PodDisruptionBudget pdb = typed("PodDisruptionBudget", PodDisruptionBudget.class);
		assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
		NetworkPolicy policy = typed("NetworkPolicy", NetworkPolicy.class);
		assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
		// the app's port admits the ingress controller only; the management port admits
		// Prometheus only
		assertThat(policy.getSpec().getIngress()).hasSize(2)
			.allSatisfy((rule) -> assertThat(rule.getPorts()).hasSize(1));
		assertThat(policy.getSpec().getIngress()).anySatisfy((rule) -> {
			assertThat(rule.getPorts().get(0).getPort().getIntVal()).isEqualTo(8080);
			assertThat(rule.getFrom()).singleElement().satisfies((peer) -> {
				assertThat(peer.getNamespaceSelector().getMatchLabels()).containsValue("ingress-nginx");
				assertThat(peer.getPodSelector()).isNull();
			});
		});
		assertThat(policy.getSpec().getIngress()).anySatisfy((rule) -> {
			assertThat(rule.getPorts().get(0).getPort().getIntVal()).isEqualTo(8081);
			assertThat(rule.getFrom()).singleElement()
				.satisfies((peer) -> assertThat(peer.getPodSelector().getMatchLabels()).containsValue("prometheus"));
		});
		assertThat(policy.getSpec().getEgress()).flatExtracting((rule) -> rule.getPorts())
			.extracting((port) -> port.getPort().getIntVal())
			.contains(53, 5432, 443);
	}

	@Test
	void theKustomizationListsEveryManifestButTheSecretExample() {
		Document kustomization = K8sManifests.single("Kustomization");
		List<String> resources = K8sManifests.at(kustomization.tree(), "resources");
		Set<String> files = K8sManifests.files()
			.stream()
			.map((file) -> file.getFileName().toString())
			.filter((name) -> !name.equals("kustomization.yaml") && !name.equals("secret.example.yaml"))
			.collect(Collectors.toSet());
		assertThat(resources).containsExactlyInAnyOrderElementsOf(files).doesNotContain("secret.example.yaml");
		List<Map<String, Object>> images = K8sManifests.at(kustomization.tree(), "images");
		assertThat(images).extracting((image) -> image.get("name")).containsExactly("plaid-sync");
	}

	static <T> T typed(String kind, Class<T> type) {
		return type.cast(StrictKubernetesParsing.parseTyped(K8sManifests.single(kind).text()));
	}

}
