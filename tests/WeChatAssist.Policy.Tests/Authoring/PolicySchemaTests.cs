using System.Globalization;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Policy.Tests.Authoring;

/// <summary>
/// The committed JSON Schema is the one the loader's vocabulary generates; editors validating against it accept the
/// shipped notices and reject the structural fault classes as you type.
/// </summary>
public class PolicySchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(CommittedPath())));

    [Fact]
    public void The_committed_schema_is_the_one_the_loader_vocabulary_generates()
        => Assert.True(PolicySchema.Generate() == File.ReadAllText(CommittedPath()),
            $"{PolicySchema.FileName} is stale: run `dotnet run --project src/WeChatAssist.Server --no-launch-profile -- policy schema > src/WeChatAssist.Policy/{PolicySchema.FileName}`");

    [Theory]
    [InlineData("dianjiang-xinmin-2024")]
    [InlineData("pengshui-2024")]
    [InlineData("suiping-2025")]
    [InlineData("wenxi-2024")]
    public void The_schema_accepts_a_shipped_notice(string id)
    {
        var path = Path.Combine(Shipped.RepoRoot(), "src", "WeChatAssist.Policy", "Policies", id + ".yaml");
        var result = Validate(File.ReadAllText(path));
        Assert.True(result.IsValid, Describe(result));
    }

    [Fact]
    public void The_schema_accepts_the_valid_sample_and_the_draft()
    {
        Assert.True(Validate(FaultSamples.Valid).IsValid);
        Assert.True(Validate(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Authoring", "pengshui-2025-draft.yaml"))).IsValid);
    }

    [Theory]
    [MemberData(nameof(FaultSamples.Names), MemberType = typeof(FaultSamples))]
    public void Each_fault_class_is_rejected_by_the_schema_or_by_policy_check(string name)
    {
        var sample = FaultSamples.Get(name);
        Assert.False(PolicyCheck.Check(sample.Yaml, "bad.yaml").Ok);
        if (sample.Name == "malformed YAML")
        {
            // Not a document at all: the editor's YAML parser flags it before any schema applies.
            Assert.ThrowsAny<YamlException>(() => ToJson(sample.Yaml));
            return;
        }

        // Overlaps, citations that resolve and dates against the benefit year need the whole file: JSON Schema
        // cannot say them, so they are the loader's alone (policy check, the draft upload).
        Assert.Equal(sample.ByStructure, !Validate(sample.Yaml).IsValid);
    }

    [Fact]
    public void A_choice_outside_the_vocabulary_is_rejected()
        => Assert.False(Validate(FaultSamples.Valid.Replace("benefitStart: afterWaiting", "benefitStart: afterwaiting", StringComparison.Ordinal)).IsValid);

    [Fact]
    public void Every_shipped_file_names_the_schema_for_editors()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Shipped.RepoRoot(), "src", "WeChatAssist.Policy", "Policies"), "*.yaml"))
        {
            Assert.StartsWith("# yaml-language-server: $schema=../policy.schema.json\n", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    private static string CommittedPath() => Path.Combine(Shipped.RepoRoot(), "src", "WeChatAssist.Policy", PolicySchema.FileName);

    private static EvaluationResults Validate(string yaml) =>
        Schema.Value.Evaluate(ToJson(yaml), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Describe(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    /// <summary>YAML to JSON as an editor's YAML 1.2 core schema types plain scalars (numbers, booleans, null).</summary>
    internal static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, Convert(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: var v } => v switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "~" or "null" or "" => null,
            _ when decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(v),
        },
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => throw new InvalidOperationException("unexpected YAML node"),
    };
}
