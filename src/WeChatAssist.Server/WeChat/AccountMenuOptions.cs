namespace WeChatAssist.Server.WeChat;

/// <summary>The custom menus (自定义菜单) of the configured accounts, bound from <c>WeChat</c>: each account's
/// <c>Menu</c> is a list of buttons (<c>WeChat:Accounts:{name}:Menu</c>). Every other key belongs to the WeChat
/// library and is ignored here.</summary>
internal sealed class AccountMenuOptions
{
    public const string SectionName = "WeChat";

    /// <summary><c>WeChat:PublishMenus</c>: push the menus with menu/create at start and when they change.</summary>
    public const string PublishKey = "WeChat:PublishMenus";

    public Dictionary<string, AccountMenuEntry> Accounts { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One account's menu.</summary>
internal sealed class AccountMenuEntry
{
    public List<AccountMenuButton> Menu { get; set; } = [];
}

/// <summary>One button: <see cref="Key"/> makes a CLICK button (the chatbot reads a key ending in a menu number, e.g.
/// <c>MENU_1</c>), <see cref="Url"/> a VIEW button, <see cref="SubButtons"/> a sub-menu. <see cref="Type"/> may name
/// another WeChat button type explicitly.</summary>
internal sealed class AccountMenuButton
{
    public string Name { get; set; } = string.Empty;

    public string? Type { get; set; }

    public string? Key { get; set; }

    public string? Url { get; set; }

    public List<AccountMenuButton>? SubButtons { get; set; }
}
