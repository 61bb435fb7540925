using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeChatAssist.Policy;

/// <summary>
/// The JSON Schema (draft 2020-12) of the policy format, written from the loader's own vocabulary
/// (<c>PolicyVocabulary</c>), so an editor validating against it as you type sees the keys the loader reads. It checks
/// structure (keys, types, choices, required keys); what needs the whole file (overlaps, sums, citations that
/// resolve, dates against the benefit year) stays with <c>policy check</c>.
/// </summary>
public static class PolicySchema
{
    /// <summary>Where the committed copy lives in the repository, beside the shipped policies' folder.</summary>
    public const string FileName = "policy.schema.json";

    /// <summary>Where the committed national-layer schema lives (<c>Policies/national/*.yaml</c> point at it).</summary>
    public const string NationalFileName = "national.schema.json";

    /// <summary>The schema as indented JSON with a final newline.</summary>
    public static string Generate() =>
        Generate(PolicyVocabulary.Root, "WeChatAssist policy file (format version " + PolicyAssembly.FormatVersion + ")", "`policy schema`");

    /// <summary>The national layer's schema (<c>national.schema.json</c>) as indented JSON with a final newline.</summary>
    public static string GenerateNational() =>
        Generate(NationalVocabulary.Root, "WeChatAssist national layer file (format version " + PolicyAssembly.FormatVersion + ")", "`policy schema --national`");

    private static string Generate(Vocabulary vocabulary, string title, string command)
    {
        var defs = new JsonObject();
        var root = Definition(vocabulary, defs);
        root.Insert(0, "$schema", "https://json-schema.org/draft/2020-12/schema");
        root.Insert(1, "title", title);
        root["$comment"] = "Generated from WeChatAssist.Policy's loader vocabulary by " + command + "; do not edit by hand.";
        root["$defs"] = defs;
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonObject Definition(Vocabulary vocabulary, JsonObject defs)
    {
        var properties = new JsonObject();
        foreach (var term in vocabulary.Terms)
        {
            var property = Type(term, defs);
            property["description"] = term.Description;
            properties[term.Key] = property;
        }

        var definition = new JsonObject
        {
            ["type"] = "object",
            ["description"] = vocabulary.Description,
            ["properties"] = properties,
            ["additionalProperties"] = false,
        };
        var required = vocabulary.Terms.Where(t => t.Required).Select(t => (JsonNode?)t.Key).ToArray();
        if (required.Length > 0)
        {
            definition["required"] = new JsonArray(required);
        }

        if (vocabulary.ExactlyOneOf.Count > 0)
        {
            definition["oneOf"] = new JsonArray(vocabulary.ExactlyOneOf.Select(k => (JsonNode?)new JsonObject { ["required"] = new JsonArray(k) }).ToArray());
        }

        return definition;
    }

    private static JsonObject Type(Term term, JsonObject defs) => term.Kind switch
    {
        TermKind.Text => term.Pattern is { } p ? new JsonObject { ["type"] = "string", ["pattern"] = p } : Scalar(),
        TermKind.Choice => new JsonObject { ["enum"] = new JsonArray(term.Values!.Select(v => (JsonNode?)v).ToArray()) },
        TermKind.Integer => new JsonObject { ["type"] = "integer", ["minimum"] = 0 },
        TermKind.Yuan => new JsonObject { ["type"] = "number", ["minimum"] = 0, ["$comment"] = "yuan, at most two decimals (whole fen)" },
        TermKind.Decimal => new JsonObject { ["type"] = "number", ["minimum"] = 0 },
        TermKind.Date => new JsonObject { ["type"] = "string", ["pattern"] = @"^\d{4}-\d{2}-\d{2}$", ["format"] = "date" },
        TermKind.Boolean => new JsonObject { ["type"] = "boolean" },
        TermKind.ClauseIds => new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
        TermKind.TextList => new JsonObject { ["type"] = "array", ["items"] = Scalar() },
        TermKind.Map => Reference(term.Map!, defs),
        TermKind.MapList => new JsonObject { ["type"] = "array", ["items"] = Reference(term.Map!, defs) },
        _ => throw new InvalidOperationException($"no schema for {term.Kind}"),
    };

    // The loader reads any single value as text: YAML may type "numbering: 1" as a number.
    private static JsonObject Scalar() => new() { ["type"] = new JsonArray("string", "number") };

    private static JsonObject Reference(Vocabulary vocabulary, JsonObject defs)
    {
        if (defs.TryGetPropertyValue(vocabulary.Name, out var existing) && existing is JsonObject { } e && !ReferenceEquals(e["description"]?.GetValue<string>(), vocabulary.Description))
        {
            throw new InvalidOperationException($"two vocabularies are named '{vocabulary.Name}'");
        }

        if (!defs.ContainsKey(vocabulary.Name))
        {
            defs[vocabulary.Name] = null;
            defs[vocabulary.Name] = Definition(vocabulary, defs);
        }

        return new JsonObject { ["$ref"] = "#/$defs/" + vocabulary.Name };
    }
}
