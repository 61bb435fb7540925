using System.Net;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>
/// On an official account, a text link that opens the county's mini-program at its binding page
/// (<c>&lt;a data-miniprogram-appid data-miniprogram-path href&gt;</c>, which official-account text messages support);
/// the county's mini-program is the <c>MiniProgram</c> account serving the same policy. Nothing on a mini-program
/// (the resident is already in it) or when the county has no mini-program configured.
/// </summary>
internal sealed class MiniProgramBindingInvitation(IOptionsMonitor<WeChatOptions> wechat, IOptions<MiniProgramOptions> options, [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts) : IBindingInvitation
{
    public string? For(string account)
    {
        var accounts = wechat.CurrentValue.Accounts;
        if (!accounts.TryGetValue(account, out var a) || a.Kind != WeChatAssist.WeChat.Configuration.WeChatAccountKind.OfficialAccount)
        {
            return null;
        }

        var mini = accounts.Values.FirstOrDefault(m => m.Kind == WeChatAccountKind.MiniProgram && string.Equals(m.PolicyId, a.PolicyId, StringComparison.Ordinal));
        if (mini is null)
        {
            return null;
        }

        var o = options.Value;
        var label = WebUtility.HtmlEncode(texts.Title("bindingLink"));
        var link = $"<a data-miniprogram-appid=\"{WebUtility.HtmlEncode(mini.AppId)}\" data-miniprogram-path=\"{WebUtility.HtmlEncode(o.BindingPagePath)}\" href=\"{WebUtility.HtmlEncode(o.BindingPageFallbackUrl.ToString())}\">{label}</a>";
        return texts.Detail("bindingLink", ("link", link));
    }
}
