using Microsoft.Extensions.Options;

namespace WeChatAssist.WeChat.Configuration;

/// <summary>Looks accounts up by route name in the current options.</summary>
internal sealed class WeChatAccountResolver(IOptionsMonitor<WeChatOptions> options)
{
    public WeChatOptions Options => options.CurrentValue;

    public bool TryGet(string? name, out WeChatAccountOptions account)
    {
        account = null!;
        return name is not null && options.CurrentValue.Accounts.TryGetValue(name, out account!) && account is not null;
    }

    public WeChatAccountOptions Get(string name) =>
        TryGet(name, out var account)
            ? account
            : throw new ArgumentException($"No WeChat account named '{name}' is configured under {WeChatOptions.SectionName}:Accounts.", nameof(name));
}
