using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace WeChatAssist.Server.Templating;

/// <summary>A dictionary model seen by a template as its globals without copying it into a <see cref="ScriptObject"/>
/// (the chatbot renders one or more sections per message). A template's own assignments go to a separate layer, so
/// the caller's dictionary is never changed.</summary>
internal sealed class ModelScope : IScriptObject
{
    private IReadOnlyDictionary<string, object?> _model = new Dictionary<string, object?>();
    private Dictionary<string, object?>? _assigned;

    /// <inheritdoc />
    public int Count => _model.Count + (_assigned?.Count ?? 0);

    /// <inheritdoc />
    public bool IsReadOnly { get; set; }

    /// <summary>Shows <paramref name="model"/> and forgets earlier assignments.</summary>
    public void Use(IReadOnlyDictionary<string, object?> model)
    {
        _model = model;
        _assigned?.Clear();
    }

    /// <inheritdoc />
    public IEnumerable<string> GetMembers() => _assigned is null ? _model.Keys : _model.Keys.Union(_assigned.Keys);

    /// <inheritdoc />
    public bool Contains(string member) => (_assigned?.ContainsKey(member) ?? false) || _model.ContainsKey(member);

    /// <inheritdoc />
    public bool TryGetValue(TemplateContext? context, SourceSpan span, string member, out object? value)
    {
        if (_assigned is not null && _assigned.TryGetValue(member, out value))
        {
            return true;
        }

        return _model.TryGetValue(member, out value);
    }

    /// <inheritdoc />
    public bool CanWrite(string member) => !IsReadOnly;

    /// <inheritdoc />
    public bool TrySetValue(TemplateContext? context, SourceSpan span, string member, object? value, bool readOnly)
    {
        (_assigned ??= new Dictionary<string, object?>(StringComparer.Ordinal))[member] = value;
        return true;
    }

    /// <inheritdoc />
    public bool Remove(string member) => _assigned?.Remove(member) ?? false;

    /// <inheritdoc />
    public void SetReadOnly(string member, bool readOnly)
    {
        // Model values are data; nothing to mark.
    }

    /// <inheritdoc />
    public IScriptObject Clone(bool deep)
    {
        var copy = new ScriptObject();
        foreach (var member in GetMembers())
        {
            TryGetValue(null, default, member, out var value);
            copy[member] = value;
        }

        return copy;
    }
}
