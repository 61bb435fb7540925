namespace WeChatAssist.Policy;

/// <summary>
/// The national layers shipped inside the library (<c>Policies/national/*.yaml</c>). A county file loads with the
/// layers whose first benefit year is not after its own; they are national law, so they travel with the engine and
/// are not replaced from a bureau's folder.
/// </summary>
public static class NationalLayers
{
    private const string ResourcePrefix = "WeChatAssist.Policy.National.";
    private static readonly Lazy<IReadOnlyList<NationalLayer>> ShippedLayers = new(LoadEmbedded);

    /// <summary>Every shipped layer, by first benefit year.</summary>
    public static IReadOnlyList<NationalLayer> Shipped => ShippedLayers.Value;

    /// <summary>The layers that apply to a county file for <paramref name="benefitYear"/>.</summary>
    public static IReadOnlyList<NationalLayer> For(int benefitYear) => Shipped.Where(l => l.FromBenefitYear <= benefitYear).ToList();

    /// <summary>Loads a national layer from YAML text (tools, tests); <paramref name="fileName"/> names the file in errors.</summary>
    public static NationalLayer Load(TextReader yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return NationalLayerReader.Read(yaml, fileName);
    }

    /// <summary>True when <paramref name="yaml"/> is a national layer rather than a county policy (it says <c>fromBenefitYear</c>).</summary>
    public static bool IsNationalLayer(string yaml) =>
        yaml.Contains("\nfromBenefitYear:", StringComparison.Ordinal) || yaml.StartsWith("fromBenefitYear:", StringComparison.Ordinal);

    private static List<NationalLayer> LoadEmbedded()
    {
        var assembly = typeof(NationalLayers).Assembly;
        var layers = new List<NationalLayer>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            layers.Add(NationalLayerReader.Read(reader, "national/" + name[ResourcePrefix.Length..]));
        }

        return layers.OrderBy(l => l.FromBenefitYear).ThenBy(l => l.Id, StringComparer.Ordinal).ToList();
    }
}
