using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.WeChat.Tests.Configuration;

public class OptionsValidationTests
{
    private static WeChatOptions Resolve(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging();
        services.AddWeChat();
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<WeChatOptions>>().Value;
    }

    private static Dictionary<string, string?> Account(string name, string key) => new()
    {
        [$"WeChat:Accounts:{name}:AppId"] = "wx0123456789abcdef",
        [$"WeChat:Accounts:{name}:AppSecret"] = "secret",
        [$"WeChat:Accounts:{name}:Token"] = "token123",
        [$"WeChat:Accounts:{name}:EncodingAESKey"] = key,
        [$"WeChat:Accounts:{name}:PolicyId"] = "policy-" + name,
    };

    [Theory]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_malformed_EncodingAESKey_is_reported_with_its_configuration_key(string key)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(Account("wenxi", key)));
        Assert.Contains("WeChat:Accounts:wenxi:EncodingAESKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_token_and_app_id_are_reported()
    {
        var settings = Account("suiping", "");
        settings["WeChat:Accounts:suiping:Token"] = "";
        settings["WeChat:Accounts:suiping:AppId"] = "";
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(settings));
        Assert.Contains("WeChat:Accounts:suiping:Token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WeChat:Accounts:suiping:AppId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_key_means_plaintext_and_a_43_character_key_means_safe_mode()
    {
        var settings = Account("pengshui", "");
        foreach (var (k, v) in Account("dianjiang-xinmin", new string('A', 43)))
            settings[k] = v;
        var options = Resolve(settings);
        Assert.False(options.Accounts["pengshui"].UsesEncryption);
        Assert.True(options.Accounts["dianjiang-xinmin"].UsesEncryption);
        Assert.Equal("policy-pengshui", options.Accounts["pengshui"].PolicyId);
    }

    [Fact]
    public void A_reply_budget_beyond_WeChats_five_seconds_is_refused()
    {
        var settings = Account("wenxi", "");
        settings["WeChat:ReplyBudget"] = "00:00:06";
        var ex = Assert.Throws<OptionsValidationException>(() => Resolve(settings));
        Assert.Contains("ReplyBudget", ex.Message, StringComparison.Ordinal);
    }
}
