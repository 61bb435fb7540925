using WeChatAssist.WeChat.Messages;

namespace WeChatAssist.WeChat.Tests.Messages;

/// <summary>Samples shaped like those in WeChat's message and event documentation.</summary>
public class InboundMessageParserTests
{
    private const string Head = "<ToUserName><![CDATA[gh_toUser]]></ToUserName><FromUserName><![CDATA[oFromUser]]></FromUserName><CreateTime>1348831860</CreateTime>";

    private static T Parse<T>(string body)
        where T : InboundMessage
    {
        var xml = "<xml>" + Head + body + "</xml>";
        Assert.True(InboundMessageParser.TryParse(xml, out var message, out var error), error);
        Assert.Equal("gh_toUser", message!.ToUserName);
        Assert.Equal("oFromUser", message.FromUserName);
        Assert.Equal(1348831860, message.CreateTime);
        Assert.Equal(xml, message.RawXml);
        return Assert.IsType<T>(message);
    }

    [Fact]
    public void Text_message()
    {
        var m = Parse<TextMessage>("<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[this is a test]]></Content><MsgId>1234567890123456</MsgId>");
        Assert.Equal("this is a test", m.Content);
        Assert.Equal("1234567890123456", m.MsgId);
        Assert.Equal("msg|oFromUser|1234567890123456", m.DeduplicationKey);
    }

    [Fact]
    public void Image_message()
    {
        var m = Parse<ImageMessage>("<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://mmbiz/pic]]></PicUrl><MediaId><![CDATA[media_id]]></MediaId><MsgId>1234567890123456</MsgId>");
        Assert.Equal("http://mmbiz/pic", m.PicUrl);
        Assert.Equal("media_id", m.MediaId);
    }

    [Fact]
    public void Voice_message_with_recognition()
    {
        var m = Parse<VoiceMessage>("<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[amr]]></Format><Recognition><![CDATA[腾讯微信团队]]></Recognition><MsgId>1234567890123456</MsgId>");
        Assert.Equal("amr", m.Format);
        Assert.Equal("腾讯微信团队", m.Recognition);
    }

    [Fact]
    public void Voice_message_without_recognition_has_null_recognition()
    {
        var m = Parse<VoiceMessage>("<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[media_id]]></MediaId><Format><![CDATA[speex]]></Format><MsgId>1</MsgId>");
        Assert.Null(m.Recognition);
    }

    [Fact]
    public void Location_message()
    {
        var m = Parse<LocationMessage>("<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[位置信息]]></Label><MsgId>1234567890123456</MsgId>");
        Assert.Equal(23.134521, m.Latitude, 6);
        Assert.Equal(113.358803, m.Longitude, 6);
        Assert.Equal(20, m.Scale);
        Assert.Equal("位置信息", m.Label);
    }

    [Fact]
    public void Link_message()
    {
        var m = Parse<LinkMessage>("<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[公众平台官网链接]]></Title><Description><![CDATA[公众平台官网链接]]></Description><Url><![CDATA[url]]></Url><MsgId>1234567890123456</MsgId>");
        Assert.Equal("公众平台官网链接", m.Title);
        Assert.Equal("url", m.Url);
    }

    [Fact]
    public void Plain_subscribe_event_has_no_scene()
    {
        var m = Parse<SubscribeEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>");
        Assert.Null(m.Scene);
        Assert.Equal("evt|oFromUser|1348831860|subscribe|", m.DeduplicationKey);
    }

    [Fact]
    public void Subscribe_from_a_parametric_QR_code_carries_the_scene_without_its_prefix()
    {
        var m = Parse<SubscribeEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event><EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>");
        Assert.Equal("123123", m.Scene);
        Assert.Equal("TICKET", m.Ticket);
        Assert.Equal("evt|oFromUser|1348831860|subscribe|qrscene_123123", m.DeduplicationKey);
    }

    [Fact]
    public void Unsubscribe_event() =>
        Parse<UnsubscribeEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[unsubscribe]]></Event>");

    [Fact]
    public void Scan_event()
    {
        var m = Parse<ScanEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[SCAN]]></Event><EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>");
        Assert.Equal("SCENE_VALUE", m.Scene);
        Assert.Equal("TICKET", m.Ticket);
    }

    [Fact]
    public void A_very_long_event_key_gives_a_bounded_deduplication_key()
    {
        var url = "https://example.org/" + new string('p', 500);
        var m = Parse<MenuViewEvent>($"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[{url}]]></EventKey>");
        Assert.StartsWith("sha256|", m.DeduplicationKey, StringComparison.Ordinal);
        Assert.True(m.DeduplicationKey.Length <= 200);
        var other = Parse<MenuViewEvent>($"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[{url}x]]></EventKey>");
        Assert.NotEqual(m.DeduplicationKey, other.DeduplicationKey);
    }

    [Fact]
    public void Click_event()
    {
        var m = Parse<MenuClickEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[CLICK]]></Event><EventKey><![CDATA[EVENTKEY]]></EventKey>");
        Assert.Equal("EVENTKEY", m.EventKey);
    }

    [Fact]
    public void View_event()
    {
        var m = Parse<MenuViewEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[VIEW]]></Event><EventKey><![CDATA[www.qq.com]]></EventKey><MenuId>MENUID</MenuId>");
        Assert.Equal("www.qq.com", m.EventKey);
        Assert.Equal("MENUID", m.MenuId);
    }

    [Fact]
    public void Template_send_job_finish_event()
    {
        var m = Parse<TemplateSendJobFinishEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>200163836</MsgID><Status><![CDATA[failed:user block]]></Status>");
        Assert.Equal("200163836", m.MsgId);
        Assert.Equal("failed:user block", m.Status);
    }

    [Fact]
    public void Mass_send_job_finish_event()
    {
        var m = Parse<MassSendJobFinishEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[MASSSENDJOBFINISH]]></Event><MsgID>1988</MsgID><Status><![CDATA[sendsuccess]]></Status><TotalCount>100</TotalCount><FilterCount>80</FilterCount><SentCount>75</SentCount><ErrorCount>5</ErrorCount><CopyrightCheckResult><Count>0</Count><ResultList></ResultList><CheckState>1</CheckState></CopyrightCheckResult>");
        Assert.Equal("1988", m.MsgId);
        Assert.Equal("sendsuccess", m.Status);
        Assert.Equal((100, 80, 75, 5), (m.TotalCount, m.FilterCount, m.SentCount, m.ErrorCount));
    }

    [Fact]
    public void Subscribe_message_popup_event()
    {
        var m = Parse<SubscribeMessagePopupEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_popup_event]]></Event><SubscribeMsgPopupEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId><SubscribeStatusString><![CDATA[accept]]></SubscribeStatusString><PopupScene>2</PopupScene></List><List><TemplateId><![CDATA[9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString><PopupScene>2</PopupScene></List></SubscribeMsgPopupEvent>");
        Assert.Equal(
            [new SubscribeMessageChoice("VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc", "accept", "2"), new SubscribeMessageChoice("9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI", "reject", "2")],
            m.Choices);
    }

    [Fact]
    public void Subscribe_message_change_event()
    {
        var m = Parse<SubscribeMessageChangeEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_change_event]]></Event><SubscribeMsgChangeEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId><SubscribeStatusString><![CDATA[reject]]></SubscribeStatusString></List></SubscribeMsgChangeEvent>");
        var choice = Assert.Single(m.Choices);
        Assert.Equal("reject", choice.SubscribeStatus);
        Assert.Null(choice.PopupScene);
    }

    [Fact]
    public void Subscribe_message_sent_event()
    {
        var m = Parse<SubscribeMessageSentEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe_msg_sent_event]]></Event><SubscribeMsgSentEvent><List><TemplateId><![CDATA[VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc]]></TemplateId><MsgID>1700827132819554304</MsgID><ErrorCode>0</ErrorCode><ErrorStatus><![CDATA[success]]></ErrorStatus></List></SubscribeMsgSentEvent>");
        Assert.Equal(new SubscribeMessageDelivery("VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc", "1700827132819554304", 0, "success"), Assert.Single(m.Deliveries));
    }

    [Fact]
    public void An_unknown_event_is_kept_raw()
    {
        var m = Parse<UnknownEvent>("<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[LOCATION]]></Event><Latitude>23.137466</Latitude>");
        Assert.Equal("LOCATION", m.Event);
        Assert.Equal("23.137466", m.Root.ChildValue("Latitude"));
    }

    [Fact]
    public void An_unknown_message_type_is_kept_raw()
    {
        var m = Parse<UnknownMessage>("<MsgType><![CDATA[shortvideo]]></MsgType><MediaId><![CDATA[m]]></MediaId><MsgId>42</MsgId>");
        Assert.Equal("shortvideo", m.MsgType);
        Assert.Equal("msg|oFromUser|42", m.DeduplicationKey);
    }

    [Theory]
    [InlineData("<xml><FromUserName>a</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>x</CreateTime><MsgType>text</MsgType></xml>")]
    [InlineData("<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime></xml>")]
    public void Documents_without_the_common_fields_are_not_messages(string xml) =>
        Assert.False(InboundMessageParser.TryParse(xml, out _, out _));
}
