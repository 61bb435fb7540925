using Microsoft.Extensions.Logging.Abstractions;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Clock;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.Tests.Chat;

public sealed class ChatMessageHandlerTests
{
    private readonly InMemoryFollowerSceneRecorder _scenes = new();
    private readonly ChatMessageHandler _handler;

    public ChatMessageHandlerTests()
    {
        var chat = new ChatTestEngine();
        var clock = new BusinessClock(TimeProvider.System, new DateTimeOffset(2023, 11, 15, 10, 0, 0, TimeSpan.FromHours(8)), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        _handler = new ChatMessageHandler(chat.Engine, ChatTestEngine.Catalog, clock, TimeProvider.System, _scenes, new UnknownFollowerLanguages(), new NoBindingInvitation(), NullLogger<ChatMessageHandler>.Instance);
    }

    private async Task<string?> ReplyAsync(InboundMessage message)
    {
        var reply = await _handler.HandleAsync(new WeChatMessageContext("wenxi", "wx-app", "wenxi-2024", message), CancellationToken.None);
        return (reply as TextReply)?.Content;
    }

    [Fact]
    public async Task Text_message_gets_the_answer() =>
        Assert.Contains("76元", await ReplyAsync(new TextMessage { FromUserName = "o1", MsgType = "text", Content = "低保户交多少钱" }), StringComparison.Ordinal);

    [Fact]
    public async Task Voice_with_recognition_is_answered_from_the_recognised_text() =>
        Assert.Contains("380元", await ReplyAsync(new VoiceMessage { FromUserName = "o1", MsgType = "voice", MediaId = "m", Format = "amr", Recognition = "医保交多少钱。" }), StringComparison.Ordinal);

    [Fact]
    public async Task Voice_without_recognition_asks_to_type_or_use_the_menu()
    {
        var reply = await ReplyAsync(new VoiceMessage { FromUserName = "o1", MsgType = "voice", MediaId = "m", Format = "amr" });
        Assert.Contains("请打字", reply, StringComparison.Ordinal);
        Assert.Contains("1 交多少钱", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribe_from_a_qr_scene_welcomes_and_records_the_scene()
    {
        var reply = await ReplyAsync(new SubscribeEvent { FromUserName = "o2", MsgType = "event", Event = "subscribe", EventKey = "qrscene_cadre-17", Scene = "cadre-17" });
        Assert.Contains("欢迎关注", reply, StringComparison.Ordinal);
        Assert.Contains("1 交多少钱", reply, StringComparison.Ordinal);
        var scene = Assert.Single(_scenes.Scenes);
        Assert.Equal(("wenxi", "o2", "cadre-17"), (scene.Account, scene.OpenId, scene.Scene));
    }

    [Fact]
    public async Task Plain_subscribe_records_no_scene()
    {
        await ReplyAsync(new SubscribeEvent { FromUserName = "o2", MsgType = "event", Event = "subscribe" });
        Assert.Empty(_scenes.Scenes);
    }

    [Fact]
    public async Task Scan_records_the_scene()
    {
        await ReplyAsync(new ScanEvent { FromUserName = "o3", MsgType = "event", Event = "SCAN", EventKey = "cadre-9" });
        Assert.Equal("cadre-9", Assert.Single(_scenes.Scenes).Scene);
    }

    [Fact]
    public async Task Menu_click_answers_the_numbered_item() =>
        Assert.Contains("0359-8801801", await ReplyAsync(new MenuClickEvent { FromUserName = "o1", MsgType = "event", Event = "CLICK", EventKey = "MENU_9" }), StringComparison.Ordinal);

    [Fact]
    public async Task Unknown_message_gets_the_menu() =>
        Assert.Contains("1 交多少钱", await ReplyAsync(new UnknownMessage { FromUserName = "o1", MsgType = "shortvideo" }), StringComparison.Ordinal);

    [Fact]
    public async Task Unsubscribe_gets_no_reply() =>
        Assert.Null(await ReplyAsync(new UnsubscribeEvent { FromUserName = "o1", MsgType = "event", Event = "unsubscribe" }));

    [Fact]
    public async Task Account_with_an_unknown_policy_gets_no_reply()
    {
        var reply = await _handler.HandleAsync(new WeChatMessageContext("x", "wx", "nowhere-2030", new TextMessage { FromUserName = "o", Content = "你好" }), CancellationToken.None);
        Assert.Null(reply);
    }
}
