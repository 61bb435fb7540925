using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.WeChat.Tests.Api;

public class OAuthAuthorizeUrlTests
{
    private sealed class Monitor(WeChatOptions value) : IOptionsMonitor<WeChatOptions>
    {
        public WeChatOptions CurrentValue => value;

        public WeChatOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<WeChatOptions, string?> listener) => null;
    }

    [Fact]
    public void The_authorise_url_carries_app_id_escaped_redirect_scope_state_and_the_wechat_fragment()
    {
        var options = new WeChatOptions { Accounts = { ["wenxi"] = new WeChatAccountOptions { AppId = "wxAPP" } } };
        var url = new OAuthAuthorizeUrl(new Monitor(options)).Create("wenxi", new Uri("https://h5.example/bind?x=1&y=2"), "st-1");
        Assert.Equal(
            "https://open.weixin.qq.com/connect/oauth2/authorize?appid=wxAPP&redirect_uri=https%3A%2F%2Fh5.example%2Fbind%3Fx%3D1%26y%3D2&response_type=code&scope=snsapi_base&state=st-1#wechat_redirect",
            url.ToString());
    }

    [Fact]
    public void An_unknown_account_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => new OAuthAuthorizeUrl(new Monitor(new WeChatOptions())).Create("nobody", new Uri("https://x"), "s"));
}
