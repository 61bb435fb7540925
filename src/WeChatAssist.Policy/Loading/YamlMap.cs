using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace WeChatAssist.Policy;

/// <summary>A strict reader over one YAML mapping: typed getters, line-numbered errors, unknown keys rejected.</summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public YamlMap(string file, YamlMappingNode node)
    {
        File = file;
        _node = node;
    }

    public string File { get; }

    public int Line => LineOf(_node);

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    public static int ColumnOf(YamlNode node) => (int)node.Start.Column;

    public PolicyLoadException Error(string reason) => new(File, Line, ColumnOf(_node), reason);

    public PolicyLoadException Error(YamlNode node, string reason) => new(File, LineOf(node), ColumnOf(node), reason);

    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    public YamlNode? Get(string key)
    {
        _used.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public YamlNode Required(string key) => Get(key) ?? throw Error($"missing required key '{key}'");

    public string Str(string key) => Scalar(Required(key), key);

    public string? OptStr(string key) => Get(key) is { } n ? Scalar(n, key) : null;

    public int Int(string key) => ParseInt(Required(key), key);

    public int? OptInt(string key) => Get(key) is { } n ? ParseInt(n, key) : null;

    public bool Bool(string key, bool defaultValue)
    {
        if (Get(key) is not { } n)
        {
            return defaultValue;
        }

        return Scalar(n, key) switch
        {
            "true" => true,
            "false" => false,
            var s => throw Error(n, $"'{key}' must be true or false, not '{s}'"),
        };
    }

    public DateOnly Date(string key) => ParseDate(Required(key), key);

    public DateOnly? OptDate(string key) => Get(key) is { } n ? ParseDate(n, key) : null;

    public long Fen(string key) => ParseFen(Required(key), key);

    public long? OptFen(string key) => Get(key) is { } n ? ParseFen(n, key) : null;

    public decimal Decimal(string key)
    {
        var n = Required(key);
        var s = Scalar(n, key);
        return decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw Error(n, $"'{key}' must be a number, not '{s}'");
    }

    public YamlMap Map(string key) => AsMap(Required(key), key);

    public YamlMap? OptMap(string key) => Get(key) is { } n ? AsMap(n, key) : null;

    public IReadOnlyList<YamlMap> MapList(string key, bool required = true)
    {
        var n = required ? Required(key) : Get(key);
        if (n is null)
        {
            return [];
        }

        if (n is not YamlSequenceNode seq)
        {
            throw Error(n, $"'{key}' must be a list");
        }

        return seq.Children.Select(c => AsMap(c, key)).ToList();
    }

    public IReadOnlyList<(string Value, YamlNode Node)> StrList(string key, bool required = true)
    {
        var n = required ? Required(key) : Get(key);
        if (n is null)
        {
            return [];
        }

        if (n is not YamlSequenceNode seq)
        {
            throw Error(n, $"'{key}' must be a list");
        }

        return seq.Children.Select(c => (Scalar(c, key), c)).ToList();
    }

    /// <summary>Rejects keys nobody read: a misspelt key must not be silently ignored.</summary>
    public void EnsureNoUnknownKeys()
    {
        foreach (var key in _node.Children.Keys)
        {
            var name = key is YamlScalarNode s ? s.Value ?? string.Empty : string.Empty;
            if (!_used.Contains(name))
            {
                throw Error(key, $"unknown key '{name}'");
            }
        }
    }

    public string Scalar(YamlNode n, string key) =>
        n is YamlScalarNode { Value: { } v } ? v : throw Error(n, $"'{key}' must be a single value");

    public YamlMap AsMap(YamlNode n, string key) =>
        n is YamlMappingNode m ? new YamlMap(File, m) : throw Error(n, $"'{key}' must be a mapping");

    public long ParseFen(YamlNode n, string key)
    {
        var s = Scalar(n, key);
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
        {
            throw Error(n, $"'{key}' must be an amount in yuan, not '{s}'");
        }

        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen))
        {
            throw Error(n, $"amount {s} in '{key}' is not in whole fen");
        }

        return (long)fen;
    }

    private int ParseInt(YamlNode n, string key)
    {
        var s = Scalar(n, key);
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw Error(n, $"'{key}' must be a whole number, not '{s}'");
    }

    private DateOnly ParseDate(YamlNode n, string key)
    {
        var s = Scalar(n, key);
        return DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw Error(n, $"'{key}' must be a date YYYY-MM-DD, not '{s}'");
    }
}
