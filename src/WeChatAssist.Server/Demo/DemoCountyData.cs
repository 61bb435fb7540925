using System.Text.Json;
using System.Text.Json.Serialization;

namespace WeChatAssist.Server.Demo;

/// <summary>The made-up material demo residents are drawn from (<c>demo-county.json</c>, embedded): region codes,
/// surnames and given-name characters, village names, category shares and the age structure.</summary>
internal sealed class DemoCountyData
{
    private const string ResourceName = "WeChatAssist.Demo.demo-county.json";

    public required Dictionary<string, string> RegionCodes { get; init; }

    public required Dictionary<string, string[]> TownshipsWithoutTargets { get; init; }

    public required string Surnames { get; init; }

    public required string GivenNameCharacters { get; init; }

    public required string[] VillageStems { get; init; }

    public int ResidentsPerVillage { get; init; }

    public required Dictionary<string, double> CategoryShares { get; init; }

    public double OtherCategoryShare { get; init; }

    public required AgeBand[] AgeBands { get; init; }

    /// <summary>Reads the embedded file.</summary>
    public static DemoCountyData Load()
    {
        using var stream = typeof(DemoCountyData).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize<DemoCountyData>(stream, Json)
            ?? throw new InvalidOperationException($"{ResourceName} is empty.");
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
}

/// <summary>Ages <see cref="From"/>–<see cref="To"/> (inclusive) with a relative weight.</summary>
internal sealed record AgeBand(int From, int To, int Weight);
