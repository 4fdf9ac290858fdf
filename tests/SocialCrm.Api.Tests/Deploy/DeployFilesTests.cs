using YamlDotNet.RepresentationModel;

namespace SocialCrm.Api.Tests.Deploy;

/// <summary>
/// docker-compose.yml, deploy/docker/Dockerfile, deploy/otel and deploy/k8s say what a user relies on.
/// Docker and Kubernetes cannot run on the build machine, so these tests parse the real files.
/// </summary>
public sealed class DeployFilesTests
{
    private const string Dockerfile = "deploy/docker/Dockerfile";

    [Fact]
    public void Compose_runs_postgres_two_nodes_built_from_the_dockerfile_the_collector_and_jaeger()
    {
        var compose = DeployFiles.Compose();
        var services = compose.Get("services");
        foreach (var name in new[] { "postgres", "node1", "node2", "otel-collector", "jaeger" })
            Assert.True(services.Get(name) is not null, $"docker-compose.yml has no service '{name}'.");

        Assert.StartsWith("postgres:16", services.Str("postgres", "image"));
        Assert.NotNull(services.Get("postgres", "healthcheck", "test"));
        var dataVolume = services.Get("postgres", "volumes").Items().Select(v => v.Scalar().Split(':')[0]).Single();
        Assert.Contains(dataVolume, compose.Get("volumes").Keys());

        Assert.Equal(["node1", "node2"], DeployFiles.ComposeNodes(compose).Keys.Order());
        foreach (var node in DeployFiles.ComposeNodes(compose).Values)
            Assert.Equal(DeployFiles.Root, DeployFiles.PathOf(node.Str("build", "context")!));
        Assert.True(File.Exists(DeployFiles.PathOf(Dockerfile)));

        Assert.StartsWith("otel/opentelemetry-collector-contrib", services.Str("otel-collector", "image"));
        Assert.StartsWith("jaegertracing/all-in-one", services.Str("jaeger", "image"));
        Assert.Contains("16686", DeployFiles.ComposePorts(services.Get("jaeger")!).Select(p => p.HostPort));
    }

    [Fact]
    public void Both_nodes_form_one_cluster_on_postgres_and_send_telemetry_to_the_collector()
    {
        var compose = DeployFiles.Compose();
        var nodes = DeployFiles.ComposeNodes(compose);
        var environments = nodes.ToDictionary(n => n.Key, n => DeployFiles.ComposeEnvironment(n.Value));

        foreach (var (name, environment) in environments)
        {
            Assert.Equal("postgres", environment["Storage__Provider"]);
            Assert.Contains("Host=postgres;", environment["Storage__ConnectionString"]);
            // A silo advertises the address its own name resolves to, so the others can reach it.
            Assert.Equal(name, environment["Orleans__AdvertisedHost"]);
            Assert.Equal("http://otel-collector:4317", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Contains("SOCIALCRM_BOOTSTRAP_KEY", environment["Auth__BootstrapKey"]);
            Assert.Equal("service_healthy", nodes[name].Str("depends_on", "postgres", "condition"));

            // The healthcheck asks the port the node listens on, inside its container.
            var listenPort = new Uri(environment["ASPNETCORE_URLS"]).Port.ToString();
            var healthcheck = string.Join(' ', nodes[name].Get("healthcheck", "test").Items().Select(i => i.Scalar()));
            Assert.Contains($":{listenPort}/health/ready", healthcheck);
            Assert.Contains(listenPort, DeployFiles.ComposePorts(nodes[name]).Select(p => p.ContainerPort));
        }
        Assert.Single(environments.Values.Select(e => e["Storage__ConnectionString"]).Distinct());
        Assert.Single(environments.Values.Select(e => e["Orleans__ClusterId"]).Distinct());

        var published = nodes.Values.SelectMany(DeployFiles.ComposePorts).Select(p => p.HostPort).ToList();
        Assert.Equal(published.Count, published.Distinct().Count());

        // The nodes export OTLP over gRPC: the collector must listen for it on that port.
        var collector = DeployFiles.LoadYaml(CollectorConfigOf(compose)).Single();
        Assert.EndsWith(":4317", collector.Str("receivers", "otlp", "protocols", "grpc", "endpoint"));
    }

    [Fact]
    public void Every_depends_on_names_a_service_compose_defines()
    {
        var services = DeployFiles.Compose().Get("services");
        var defined = services.Keys().ToHashSet();
        foreach (var (name, service) in services.Pairs())
        {
            // depends_on is either a list of names or a mapping of name to condition.
            var dependencies = service.Get("depends_on") is YamlSequenceNode list ? list.Items().Select(i => i.Scalar()) : service.Get("depends_on").Keys();
            foreach (var dependency in dependencies)
                Assert.True(defined.Contains(dependency), $"{name} depends on '{dependency}', which docker-compose.yml does not define.");
        }
    }

    [Fact]
    public void The_collector_config_compose_mounts_exists_and_its_pipelines_use_only_what_it_defines()
    {
        var compose = DeployFiles.Compose();
        var config = DeployFiles.LoadYaml(CollectorConfigOf(compose)).Single();

        var pipelines = config.Get("service", "pipelines").Pairs().ToList();
        Assert.Contains("traces", pipelines.Select(p => p.Key));
        Assert.Contains("metrics", pipelines.Select(p => p.Key));
        foreach (var (signal, pipeline) in pipelines)
        {
            foreach (var part in new[] { "receivers", "processors", "exporters" })
            {
                var defined = config.Get(part).Keys().ToHashSet();
                foreach (var used in pipeline.Get(part).Items().Select(i => i.Scalar()))
                    Assert.True(defined.Contains(used), $"The {signal} pipeline uses {part} '{used}', which the collector config does not define.");
            }
        }

        // Traces reach Jaeger: some exporter of the traces pipeline sends to the jaeger service.
        var traceTargets = config.Get("service", "pipelines", "traces", "exporters").Items()
            .Select(e => config.Str("exporters", e.Scalar(), "endpoint") ?? "");
        Assert.Contains(traceTargets, t => t.StartsWith("jaeger:", StringComparison.Ordinal) || t.Contains("//jaeger:", StringComparison.Ordinal));
        Assert.NotNull(compose.Get("services", "jaeger"));
    }

    [Fact]
    public void Every_kubernetes_document_parses_and_names_its_api_version_kind_and_name()
    {
        var manifests = DeployFiles.KubernetesManifests();
        Assert.NotEmpty(manifests);
        foreach (var (file, document) in manifests)
        {
            Assert.False(string.IsNullOrEmpty(document.Str("apiVersion")), $"{file}: no apiVersion.");
            Assert.False(string.IsNullOrEmpty(document.Str("kind")), $"{file}: no kind.");
            Assert.False(string.IsNullOrEmpty(document.Str("metadata", "name")), $"{file}: no metadata.name.");
        }

        // kubectl apply -k applies what the kustomization lists: every manifest, and only files that exist.
        var kustomization = DeployFiles.LoadYaml("deploy/k8s/kustomization.yaml").Single();
        var listed = kustomization.Get("resources").Items().Select(i => i.Scalar()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(manifests.Select(m => m.File).Distinct().Order(StringComparer.Ordinal), listed);
        Assert.Contains(manifests, m => m.Document.Str("kind") == "Service" && m.Document.Str("spec", "type") is null or "ClusterIP");
    }

    [Fact]
    public void The_deployment_probes_health_on_the_port_the_container_declares_and_advertises_its_pod_ip()
    {
        var manifests = DeployFiles.KubernetesManifests();
        var deployment = manifests.OfKind("Deployment").Single();
        Assert.True(int.Parse(deployment.Str("spec", "replicas")!) >= 2, "A cluster needs more than one node.");
        Assert.True(int.Parse(deployment.Str("spec", "template", "spec", "terminationGracePeriodSeconds")!) > 30,
            "The grace period must outlast the host's 30-second shutdown, in which Orleans hands its grains over.");

        var container = (YamlMappingNode)deployment.Get("spec", "template", "spec", "containers").Items().Single();
        var ports = container.Get("ports").Items().ToDictionary(p => p.Str("name") ?? p.Str("containerPort")!, p => p.Str("containerPort")!);
        foreach (var (probe, path) in new[] { ("readinessProbe", "/health/ready"), ("livenessProbe", "/health/live") })
        {
            Assert.Equal(path, container.Str(probe, "httpGet", "path"));
            var port = container.Str(probe, "httpGet", "port")!;
            Assert.True(ports.ContainsKey(port) || ports.ContainsValue(port), $"{probe} uses port '{port}', which the container does not declare.");
        }
        Assert.NotNull(container.Get("resources", "requests"));
        Assert.NotNull(container.Get("resources", "limits"));

        // The ports the service is told to use are the ports the container declares.
        var settings = manifests.OfKind("ConfigMap").Single(c => c.Str("metadata", "name") == ConfigMapOf(container));
        Assert.Equal(ports["http"], new Uri(settings.Str("data", "ASPNETCORE_URLS")!).Port.ToString());
        Assert.Equal(ports["silo"], settings.Str("data", "Orleans__SiloPort"));
        Assert.Equal(ports["gateway"], settings.Str("data", "Orleans__GatewayPort"));
        Assert.Equal("postgres", settings.Str("data", "Storage__Provider"));

        var advertised = container.Get("env").Items().Single(e => e.Str("name") == "Orleans__AdvertisedIP");
        Assert.Equal("status.podIP", advertised.Str("valueFrom", "fieldRef", "fieldPath"));
    }

    [Fact]
    public void Every_config_map_and_secret_reference_names_a_key_defined_in_deploy_k8s()
    {
        var manifests = DeployFiles.KubernetesManifests();
        var defined = manifests.Select(m => m.Document).Where(d => d.Str("kind") is "ConfigMap" or "Secret")
            .ToDictionary(d => (d.Str("kind")!, d.Str("metadata", "name")!), d => d.Get("data").Keys().Concat(d.Get("stringData").Keys()).ToHashSet());

        var containers = manifests.OfKind("Deployment").SelectMany(d => d.Get("spec", "template", "spec", "containers").Items()).ToList();
        Assert.NotEmpty(containers);
        var references = 0;
        foreach (var container in containers)
        {
            foreach (var source in container.Get("envFrom").Items())
            {
                var (kind, name) = source.Get("configMapRef") is not null
                    ? ("ConfigMap", source.Str("configMapRef", "name")!)
                    : ("Secret", source.Str("secretRef", "name")!);
                Assert.True(defined.ContainsKey((kind, name)), $"envFrom names the {kind} '{name}', which deploy/k8s does not define.");
                references++;
            }
            foreach (var variable in container.Get("env").Items())
            {
                foreach (var (kind, reference) in new[] { ("ConfigMap", "configMapKeyRef"), ("Secret", "secretKeyRef") })
                {
                    if (variable.Get("valueFrom", reference) is not { } keyRef) continue;
                    var name = keyRef.Str("name")!;
                    var key = keyRef.Str("key")!;
                    Assert.True(defined.TryGetValue((kind, name), out var keys) && keys.Contains(key),
                        $"{variable.Str("name")} reads key '{key}' of the {kind} '{name}', which deploy/k8s does not define.");
                    references++;
                }
            }
        }
        Assert.True(references >= 3, "The Deployment takes its settings and secrets from a ConfigMap and a Secret.");
    }

    [Fact]
    public void The_dockerfile_builds_on_the_sdk_runs_on_aspnet_as_a_non_root_user_and_ships_the_sql_scripts()
    {
        var stages = DeployFiles.Dockerfile();
        var build = stages[0];
        var final = stages[^1];
        Assert.True(stages.Count >= 2, "A multi-stage build: the SDK does not ship in the image.");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build.Image);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", final.Image);

        var publish = build.Arguments("RUN").Single(r => r.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.Contains("src/SocialCrm.Host", publish);
        Assert.Contains("-c Release", publish);
        var output = publish.Split(' ').SkipWhile(a => a != "-o").Skip(1).First();

        // SqlCatalog reads sql/<dialect>/ beside the binaries: the build copies deploy/sql in, the
        // publish output must hold it, and the final stage takes that output.
        Assert.Contains(build.Arguments("COPY"), c => c.StartsWith("deploy/sql", StringComparison.Ordinal) || c.StartsWith(". ", StringComparison.Ordinal));
        foreach (var dialect in new[] { "sqlite", "postgres", "sqlserver" })
            Assert.Contains($"test -f {output}/sql/{dialect}/queries.sql", publish);
        Assert.Contains(final.Arguments("COPY"), c => c.StartsWith($"--from={build.Name} {output}", StringComparison.Ordinal));
        Assert.True(File.Exists(DeployFiles.PathOf("deploy/sql/postgres/queries.sql")));

        var user = final.Arguments("USER").LastOrDefault();
        Assert.False(user is null or "root" or "0" || user.StartsWith("0:", StringComparison.Ordinal) || user.StartsWith("root:", StringComparison.Ordinal),
            $"The final stage runs as '{user ?? "root (no USER)"}'.");

        var exposed = final.Arguments("EXPOSE").SelectMany(e => e.Split(' ')).ToHashSet();
        Assert.Superset(new HashSet<string> { "8080", "11111", "30000" }, exposed);

        var ignored = DeployFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();
        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "**/data/", ".git" }, ignored);
    }

    [Fact]
    public void Every_variable_the_deploy_files_set_for_the_service_is_a_key_it_reads()
    {
        // Sanity: the keys come from the code, so these must be among them.
        Assert.Superset(new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Storage:Provider", "Storage:ConnectionString", "Orleans:SiloPort", "Auth:BootstrapKey", "urls" },
            ServiceConfigurationKeys.All.ToHashSet(StringComparer.OrdinalIgnoreCase));

        var manifests = DeployFiles.KubernetesManifests();
        var deployment = manifests.OfKind("Deployment").Single();
        var container = deployment.Get("spec", "template", "spec", "containers").Items().Single();
        var set = new List<(string Where, string Variable)>();
        foreach (var (name, node) in DeployFiles.ComposeNodes(DeployFiles.Compose()))
            set.AddRange(DeployFiles.ComposeEnvironment(node).Keys.Select(v => ($"docker-compose.yml {name}", v)));
        set.AddRange(container.Get("env").Items().Select(e => ("deploy/k8s Deployment", e.Str("name")!)));
        set.AddRange(manifests.OfKind("ConfigMap").Single(c => c.Str("metadata", "name") == ConfigMapOf(container))
            .Get("data").Keys().Select(v => ("deploy/k8s ConfigMap", v)));
        set.AddRange(DeployFiles.Dockerfile()[^1].Arguments("ENV")
            .SelectMany(e => e.Split(' ')).Where(a => a.Contains('=')).Select(a => (Dockerfile, a.Split('=')[0])));

        Assert.True(set.Count > 20, "Compose, the Deployment, its ConfigMap and the Dockerfile all set variables.");
        var unread = set.Where(s => !ServiceConfigurationKeys.IsRead(s.Variable)).Select(s => $"{s.Where}: {s.Variable}").ToList();
        Assert.True(unread.Count == 0, "Set but never read by the service:\n" + string.Join('\n', unread));
    }

    [Theory]
    [InlineData("Storage__Provder")]
    [InlineData("Orleans__SiloPorts")]
    [InlineData("ASPNETCORE_URL")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPIONT")]
    public void A_misspelt_variable_is_not_taken_for_a_key_the_service_reads(string variable) =>
        Assert.False(ServiceConfigurationKeys.IsRead(variable));

    /// <summary>The collector config that compose mounts into otel-collector, as a path from the repository root.</summary>
    private static string CollectorConfigOf(YamlMappingNode compose)
    {
        var mount = compose.Get("services", "otel-collector", "volumes").Items().Select(v => v.Scalar())
            .Single(v => v.Split(':')[0].EndsWith(".yaml", StringComparison.Ordinal) || v.Split(':')[0].EndsWith(".yml", StringComparison.Ordinal));
        var source = mount.Split(':')[0];
        Assert.True(File.Exists(DeployFiles.PathOf(source)), $"otel-collector mounts {source}, which does not exist.");
        return source;
    }

    private static string ConfigMapOf(YamlNode container) =>
        container.Get("envFrom").Items().Select(e => e.Str("configMapRef", "name")).Single(n => n is not null)!;
}
