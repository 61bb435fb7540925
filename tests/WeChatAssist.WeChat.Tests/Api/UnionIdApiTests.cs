using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Tests.Infrastructure;

namespace WeChatAssist.WeChat.Tests.Api;

/// <summary>user/info, its batch form, jscode2session's unionid and the mini-program's subscribeMessage.send, client
/// against the simulator over real HTTP: one open platform holds an official account and a mini-program, a second
/// official account is in none.</summary>
public sealed class UnionIdApiTests : IAsyncLifetime
{
    private readonly WeChatAccountOptions _official = TestAccounts.Plain();
    private readonly WeChatAccountOptions _mini = TestAccounts.Plain();
    private readonly WeChatAccountOptions _outsider = TestAccounts.Plain();
    private TestHost _simulator = null!;
    private TestHost _app = null!;

    private IWeChatApiClient Client => _app.Get<IWeChatApiClient>();

    private SimulatorState State => _simulator.Get<SimulatorState>();

    public async Task InitializeAsync()
    {
        _mini.Kind = WeChatAccountKind.MiniProgram;
        _simulator = await TestHost.StartSimulatorAsync(s => s.Configure<WeChatSimulatorOptions>(o => o.OpenPlatforms["county"] = [_official.AppId, _mini.AppId]));
        _app = await TestHost.StartAppAsync(
            new Dictionary<string, WeChatAccountOptions> { ["oa"] = _official, ["mp"] = _mini, ["other"] = _outsider },
            _simulator);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task The_same_person_gets_one_unionid_on_both_apps_of_an_open_platform_and_none_outside_it()
    {
        State.SetUser(_official.AppId, "oOa1", "person-1");
        State.SetUser(_mini.AppId, "oMp1", "person-1");
        State.SetUser(_outsider.AppId, "oOther1", "person-1");
        State.SetUser(_official.AppId, "oOa2", "person-2");

        var follower = await Client.GetUserInfoAsync("oa", "oOa1", default);
        var session = await Client.CodeToSessionAsync("mp", State.IssueCode(_mini.AppId, "oMp1"), default);
        var outsider = await Client.GetUserInfoAsync("other", "oOther1", default);
        var someoneElse = await Client.GetUserInfoAsync("oa", "oOa2", default);

        Assert.True(follower.IsSuccess, follower.ToString());
        Assert.True(follower.Value.Subscribed);
        Assert.NotNull(follower.Value.UnionId);
        Assert.Equal(follower.Value.UnionId, session.Value.UnionId);
        Assert.True(outsider.Value.Subscribed);
        Assert.Null(outsider.Value.UnionId);
        Assert.NotEqual(follower.Value.UnionId, someoneElse.Value.UnionId);
    }

    [Fact]
    public async Task Batch_user_info_answers_each_follower_and_someone_not_following_has_subscribe_0_and_no_unionid()
    {
        State.SetUser(_official.AppId, "oGone", "person-3", following: false);

        var users = await Client.BatchGetUserInfoAsync("oa", ["oA", "oGone", "oB"], default);

        Assert.True(users.IsSuccess, users.ToString());
        Assert.Equal(["oA", "oGone", "oB"], users.Value.Select(u => u.OpenId));
        Assert.Equal([true, false, true], users.Value.Select(u => u.Subscribed));
        Assert.Null(users.Value[1].UnionId);
        Assert.All([users.Value[0], users.Value[2]], u => Assert.NotNull(u.UnionId));
    }

    [Fact]
    public async Task Mini_program_subscribe_messages_need_a_consent_once_consents_are_tracked_and_refuse_bad_data()
    {
        var data = new Dictionary<string, string> { ["thing1"] = "医保缴费即将截止", ["time2"] = "2023年12月31日" };
        State.AddConsent(_mini.AppId, "oMp9", "tpl-1");

        var first = await Client.SendMiniProgramSubscribeMessageAsync("mp", new MiniProgramSubscribeMessage("oMp9", "tpl-1", data), default);
        var second = await Client.SendMiniProgramSubscribeMessageAsync("mp", new MiniProgramSubscribeMessage("oMp9", "tpl-1", data), default);
        var tooLong = await Client.SendMiniProgramSubscribeMessageAsync("mp", new MiniProgramSubscribeMessage("oMp9", "tpl-1", new Dictionary<string, string> { ["thing1"] = new string('长', 21) }), default);
        var badState = await Client.SendMiniProgramSubscribeMessageAsync("mp", new MiniProgramSubscribeMessage("oMp9", "tpl-1", data) { MiniProgramState = "beta" }, default);

        Assert.True(first.IsSuccess, first.ToString());
        Assert.Equal(WeChatErrorCodes.UserRefused, second.Error!.ErrorCode);
        Assert.Equal(WeChatErrorCodes.ArgumentInvalid, tooLong.Error!.ErrorCode);
        Assert.Equal(WeChatErrorCodes.ArgumentInvalid, badState.Error!.ErrorCode);
    }

    [Fact]
    public async Task A_template_message_to_someone_who_does_not_follow_is_43004()
    {
        State.SetUser(_official.AppId, "oLeft", null, following: false);
        var sent = await Client.SendTemplateMessageAsync("oa", new TemplateMessage("oLeft", "tpl", new Dictionary<string, string> { ["thing1"] = "x" }), default);
        Assert.Equal(WeChatErrorCodes.RequireSubscribe, sent.Error!.ErrorCode);
    }
}
