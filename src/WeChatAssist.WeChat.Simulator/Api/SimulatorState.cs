using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>The simulated WeChat server's state: issued tokens and tickets, tags, one-time codes.</summary>
public sealed class SimulatorState
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string AppId, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Token, DateTimeOffset ExpiresAt)> _currentToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int Id, string Name, HashSet<string> Members)>> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _menus = new(StringComparer.Ordinal);
    private readonly Dictionary<(string AppId, string Code), string> _codes = [];
    private readonly HashSet<(string AppId, string Code)> _usedCodes = [];
    private readonly Dictionary<(string AppId, string OpenId), (DateTimeOffset At, int Sent)> _inbound = [];
    private readonly Dictionary<(string AppId, string OpenId), string> _people = [];
    private readonly HashSet<(string AppId, string OpenId)> _unfollowed = [];
    private readonly Dictionary<(string AppId, string OpenId, string TemplateId), int> _consents = [];
    private readonly HashSet<string> _consentApps = new(StringComparer.Ordinal);
    private readonly IOptionsMonitor<WeChatSimulatorOptions> _options;
    private readonly TimeProvider _time;
    private long _ids = 1_000_000;

    /// <summary>Creates the state.</summary>
    public SimulatorState(IOptionsMonitor<WeChatSimulatorOptions> options, [FromKeyedServices(WeChatSimulatorServiceCollectionExtensions.ClockServiceKey)] TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Number of tokens issued by stable_token so far (fresh ones, not repeats of a current token).</summary>
    public int TokensIssued { get; private set; }

    /// <summary>Checks app credentials like stable_token does: 0, 40013 (unknown app id) or 40125 (wrong secret).</summary>
    public int CheckCredentials(string? appId, string? secret)
    {
        if (string.IsNullOrEmpty(appId))
            return 41002;
        if (string.IsNullOrEmpty(secret))
            return 41004;
        var apps = _options.CurrentValue.Apps;
        if (apps.Count == 0)
            return 0;
        if (!apps.TryGetValue(appId, out var expected))
            return 40013;
        return expected == secret ? 0 : 40125;
    }

    /// <summary>stable_token: the current token while valid, a new one when forced or expired.</summary>
    public (string Token, int ExpiresIn) StableToken(string appId, bool forceRefresh)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!forceRefresh && _currentToken.TryGetValue(appId, out var current) && current.ExpiresAt > now)
                return (current.Token, (int)(current.ExpiresAt - now).TotalSeconds);
            if (_currentToken.TryGetValue(appId, out var old))
                _tokens.Remove(old.Token);
            var token = "SIM_" + RandomNumberGenerator.GetHexString(48, lowercase: true);
            var expires = now + _options.CurrentValue.TokenLifetime;
            _tokens[token] = (appId, expires);
            _currentToken[appId] = (token, expires);
            TokensIssued++;
            return (token, (int)_options.CurrentValue.TokenLifetime.TotalSeconds);
        }
    }

    /// <summary>Validates an access token: (0, app id), 41001 when missing, 40001 when unknown, 42001 when expired.</summary>
    public (int ErrorCode, string? AppId) ValidateToken(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return (41001, null);
        lock (_gate)
        {
            if (!_tokens.TryGetValue(token, out var entry))
                return (40001, null);
            return entry.ExpiresAt > _time.GetUtcNow() ? (0, entry.AppId) : (42001, entry.AppId);
        }
    }

    /// <summary>Makes every token of an app invalid, as if another party force-refreshed it.</summary>
    public void RevokeTokens(string appId)
    {
        lock (_gate)
        {
            foreach (var token in _tokens.Where(t => t.Value.AppId == appId).Select(t => t.Key).ToList())
                _tokens.Remove(token);
            _currentToken.Remove(appId);
        }
    }

    /// <summary>A one-time code (OAuth or mini-program login) that will resolve to <paramref name="openId"/>.</summary>
    public string IssueCode(string appId, string openId)
    {
        var code = "SIMCODE_" + RandomNumberGenerator.GetHexString(24, lowercase: true);
        lock (_gate)
            _codes[(appId, code)] = openId;
        return code;
    }

    /// <summary>Redeems a one-time code: the OpenID, or 40029 (invalid) / 40163 (already used).</summary>
    public (int ErrorCode, string? OpenId) RedeemCode(string appId, string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 128)
            return (40029, null);
        lock (_gate)
        {
            if (!_usedCodes.Add((appId, code)))
                return (40163, null);
            // Unknown codes still work (like a real user's code) and map to a stable OpenID.
            return (0, _codes.Remove((appId, code), out var openId) ? openId : DerivedOpenId(appId, code));
        }
    }

    /// <summary>Says who <paramref name="openId"/> on <paramref name="appId"/> is (<paramref name="person"/>, e.g. the same
    /// name for a resident's official-account and mini-program OpenIDs) and whether they follow the account.</summary>
    public void SetUser(string appId, string openId, string? person, bool following = true)
    {
        lock (_gate)
        {
            if (!string.IsNullOrEmpty(person))
                _people[(appId, openId)] = person;
            if (following)
                _unfollowed.Remove((appId, openId));
            else
                _unfollowed.Add((appId, openId));
        }
    }

    /// <summary>Whether the OpenID follows the official account (everyone does unless <see cref="SetUser"/> said not).</summary>
    public bool Follows(string appId, string openId)
    {
        lock (_gate)
            return !_unfollowed.Contains((appId, openId));
    }

    /// <summary>The UnionID WeChat gives for this OpenID: derived from the open-platform account and the person, so it
    /// is the same on every app of one open platform and differs between platforms; null for an app in none.</summary>
    public string? UnionId(string appId, string openId)
    {
        var platform = _options.CurrentValue.OpenPlatforms.FirstOrDefault(p => p.Value.Contains(appId, StringComparer.Ordinal)).Key;
        if (platform is null)
            return null;
        string person;
        lock (_gate)
            person = _people.TryGetValue((appId, openId), out var known) ? known : openId;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(platform + "\n" + person));
        return "oSimU" + Convert.ToHexStringLower(hash)[..23];
    }

    /// <summary>Records a mini-program subscribe-message consent (what <c>wx.requestSubscribeMessage</c> accepting does).
    /// Once an app has any recorded consent, <c>subscribe/send</c> to it needs one per message (43101 otherwise).</summary>
    public void AddConsent(string appId, string openId, string templateId, int count = 1)
    {
        lock (_gate)
        {
            _consentApps.Add(appId);
            _consents[(appId, openId, templateId)] = (_consents.TryGetValue((appId, openId, templateId), out var left) ? left : 0) + count;
        }
    }

    /// <summary>Uses one consent: 0, or 43101 when the app tracks consent and none is left.</summary>
    public int UseConsent(string appId, string openId, string templateId)
    {
        lock (_gate)
        {
            if (!_consentApps.Contains(appId))
                return 0;
            if (!_consents.TryGetValue((appId, openId, templateId), out var left) || left <= 0)
                return 43101;
            _consents[(appId, openId, templateId)] = left - 1;
            return 0;
        }
    }

    /// <summary>Notes that a person wrote to the account, opening the customer-service window.</summary>
    public void RecordInbound(string appId, string openId)
    {
        lock (_gate)
            _inbound[(appId, openId)] = (_time.GetUtcNow(), 0);
    }

    /// <summary>Counts a customer-service message: 0 when allowed, 45015 outside the window, 45047 over the count (only when enforced).</summary>
    public int UseCustomerServiceWindow(string appId, string openId)
    {
        var options = _options.CurrentValue;
        if (!options.EnforceCustomerServiceWindow)
            return 0;
        lock (_gate)
        {
            if (!_inbound.TryGetValue((appId, openId), out var last) || _time.GetUtcNow() - last.At > options.CustomerServiceWindow)
                return 45015;
            if (last.Sent >= options.CustomerServiceMessagesPerInbound)
                return 45047;
            _inbound[(appId, openId)] = (last.At, last.Sent + 1);
            return 0;
        }
    }

    /// <summary>Keeps the app's custom menu (the <c>button</c> array menu/create accepted, as JSON).</summary>
    public void SetMenu(string appId, string buttonsJson)
    {
        lock (_gate)
            _menus[appId] = buttonsJson;
    }

    /// <summary>The app's custom menu as the last accepted menu/create sent it (a JSON array), or null when none.</summary>
    public string? Menu(string appId)
    {
        lock (_gate)
            return _menus.GetValueOrDefault(appId);
    }

    /// <summary>The next id for messages, tickets and tags.</summary>
    public long NextId() => Interlocked.Increment(ref _ids);

    /// <summary>Creates a tag: (0, id), or 45157 when the name exists.</summary>
    public (int ErrorCode, int Id) CreateTag(string appId, string name)
    {
        lock (_gate)
        {
            var tags = TagsOf(appId);
            if (tags.Any(t => t.Name == name))
                return (45157, 0);
            var id = 100 + tags.Count;
            tags.Add((id, name, new HashSet<string>(StringComparer.Ordinal)));
            return (0, id);
        }
    }

    /// <summary>The app's tags with member counts.</summary>
    public IReadOnlyList<(int Id, string Name, int Count)> Tags(string appId)
    {
        lock (_gate)
            return [.. TagsOf(appId).Select(t => (t.Id, t.Name, t.Members.Count))];
    }

    /// <summary>Tags followers: 0, or 45159 when the tag does not exist.</summary>
    public int TagMembers(string appId, int tagId, IEnumerable<string> openIds)
    {
        lock (_gate)
        {
            var tag = TagsOf(appId).FirstOrDefault(t => t.Id == tagId);
            if (tag.Members is null)
                return 45159;
            foreach (var id in openIds)
                tag.Members.Add(id);
            return 0;
        }
    }

    private List<(int Id, string Name, HashSet<string> Members)> TagsOf(string appId)
    {
        if (!_tags.TryGetValue(appId, out var list))
            _tags[appId] = list = [];
        return list;
    }

    private static string DerivedOpenId(string appId, string code)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(appId + "|" + code));
        return "o" + Convert.ToBase64String(hash).Replace('+', '-').Replace('/', '_')[..27];
    }
}
