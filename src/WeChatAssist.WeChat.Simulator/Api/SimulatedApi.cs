using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>The behaviour of each simulated endpoint, validating requests the way WeChat documents.</summary>
internal static class SimulatedApi
{
    // A 1×1 transparent PNG stands in for QR and mini-program code images.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static string ErrorMessage(int code) => code switch
    {
        -1 => "system error",
        40001 => "invalid credential, access_token is invalid or not latest",
        40003 => "invalid openid",
        40013 => "invalid appid",
        40016 => "invalid button size",
        40017 => "invalid button type",
        40018 => "invalid button name size",
        40019 => "invalid button key size",
        40020 => "invalid button url size",
        40023 => "invalid sub button size",
        40024 => "invalid sub button type",
        40025 => "invalid sub button name size",
        40026 => "invalid sub button key size",
        40027 => "invalid sub button url size",
        40029 => "invalid code",
        40032 => "invalid openid list size",
        40037 => "invalid template_id",
        40125 => "invalid appsecret",
        40130 => "invalid openid list size, at least two openid",
        40163 => "code been used",
        41001 => "access_token missing",
        41002 => "appid missing",
        41004 => "appsecret missing",
        42001 => "access_token expired",
        43004 => "require subscribe",
        43101 => "user refuse to accept the msg",
        44002 => "empty post data",
        44004 => "empty content",
        45009 => "reach max api daily quota limit",
        45011 => "api minute-quota reach limit",
        45015 => "response out of time limit or subscription is canceled",
        45047 => "out of response count limit",
        45157 => "invalid tag name",
        45159 => "invalid tag id",
        47001 => "data format error",
        47003 => "argument invalid",
        _ => "simulated error",
    };

    public static ValueTask<Reply> StableToken(Call call)
    {
        var body = call.Body!;
        if (Str(body, "grant_type") != "client_credential")
            return Done(Reply.Fail(40002));
        var appId = Str(body, "appid");
        var code = call.State.CheckCredentials(appId, Str(body, "secret"));
        if (code != 0)
            return Done(Reply.Fail(code) with { AppId = appId });
        var force = body["force_refresh"] is JsonValue v && v.TryGetValue<bool>(out var f) && f;
        var (token, expiresIn) = call.State.StableToken(appId!, force);
        return Done(new Reply(0, new JsonObject { ["access_token"] = token, ["expires_in"] = expiresIn }, AppId: appId));
    }

    public static ValueTask<Reply> CustomSend(Call call)
    {
        var body = call.Body!;
        var toUser = Str(body, "touser");
        if (string.IsNullOrEmpty(toUser))
            return Done(Reply.Fail(40003));
        var window = call.State.UseCustomerServiceWindow(call.AppId!, toUser);
        if (window != 0)
            return Done(Reply.Fail(window));
        return Str(body, "msgtype") switch
        {
            "text" => Done(string.IsNullOrEmpty(Str(body["text"], "content")) ? Reply.Fail(44004) : Reply.Ok()),
            "news" => Done(body["news"]?["articles"] is JsonArray { Count: 1 } ? Reply.Ok() : Reply.Fail(47003)),
            "image" or "voice" or "video" or "mpnewsarticle" or "miniprogrampage" or "msgmenu" => Done(Reply.Ok()),
            _ => Done(Reply.Fail(40008)),
        };
    }

    public static ValueTask<Reply> TemplateSend(Call call)
    {
        var body = call.Body!;
        if (string.IsNullOrEmpty(Str(body, "touser")))
            return Done(Reply.Fail(40003));
        if (!call.State.Follows(call.AppId!, Str(body, "touser")!))
            return Done(Reply.Fail(43004));
        if (string.IsNullOrEmpty(Str(body, "template_id")))
            return Done(Reply.Fail(40037));
        if (body["data"] is not JsonObject data || !FieldsFit(data))
            return Done(Reply.Fail(47003));
        return Done(Reply.Ok(new JsonObject { ["msgid"] = call.State.NextId() }));
    }

    public static ValueTask<Reply> SubscribeSend(Call call)
    {
        var body = call.Body!;
        if (string.IsNullOrEmpty(Str(body, "touser")))
            return Done(Reply.Fail(40003));
        if (string.IsNullOrEmpty(Str(body, "template_id")))
            return Done(Reply.Fail(40037));
        return Done(body["data"] is JsonObject data && FieldsFit(data) ? Reply.Ok() : Reply.Fail(47003));
    }

    /// <summary>The mini-program's <c>subscribeMessage.send</c>: 40003 without touser, 40037 without template_id, 47003 for
    /// data that does not fit its keywords or an unknown miniprogram_state/lang, 43101 without a consent left (when the
    /// app's consents are tracked, see <see cref="SimulatorState.AddConsent"/>).</summary>
    public static ValueTask<Reply> MiniProgramSubscribeSend(Call call)
    {
        var body = call.Body!;
        var toUser = Str(body, "touser");
        var template = Str(body, "template_id");
        if (string.IsNullOrEmpty(toUser))
            return Done(Reply.Fail(40003));
        if (string.IsNullOrEmpty(template))
            return Done(Reply.Fail(40037));
        if (body["data"] is not JsonObject data || !FieldsFit(data)
            || Str(body, "miniprogram_state") is not (null or "developer" or "trial" or "formal")
            || Str(body, "lang") is not (null or "zh_CN" or "en_US" or "zh_HK" or "zh_TW"))
            return Done(Reply.Fail(47003));
        var consent = call.State.UseConsent(call.AppId!, toUser, template);
        return Done(consent == 0 ? Reply.Ok(new JsonObject { ["msgid"] = call.State.NextId() }) : Reply.Fail(consent));
    }

    /// <summary><c>cgi-bin/user/info</c>: subscribe 0 with only the OpenID for someone not following; otherwise the
    /// language and, for an app under an open platform, the unionid.</summary>
    public static ValueTask<Reply> UserInfo(Call call)
    {
        var openId = call.Query["openid"].FirstOrDefault();
        if (string.IsNullOrEmpty(openId) || openId.Length > 64)
            return Done(Reply.Fail(40003));
        return Done(Reply.Ok(UserInfoObject(call, openId)));
    }

    /// <summary><c>cgi-bin/user/info/batchget</c>: 1 to 100 OpenIDs, answered in order.</summary>
    public static ValueTask<Reply> UserInfoBatch(Call call)
    {
        if (call.Body!["user_list"] is not JsonArray { Count: >= 1 and <= 100 } list)
            return Done(Reply.Fail(40032));
        var users = new JsonArray();
        foreach (var item in list)
        {
            var openId = Str(item, "openid");
            if (string.IsNullOrEmpty(openId))
                return Done(Reply.Fail(40003));
            users.Add(UserInfoObject(call, openId));
        }
        return Done(Reply.Ok(new JsonObject { ["user_info_list"] = users }));
    }

    private static JsonObject UserInfoObject(Call call, string openId)
    {
        if (!call.State.Follows(call.AppId!, openId))
            return new JsonObject { ["subscribe"] = 0, ["openid"] = openId };
        var user = new JsonObject { ["subscribe"] = 1, ["openid"] = openId, ["language"] = "zh_CN", ["subscribe_time"] = 1_700_000_000, ["subscribe_scene"] = "ADD_SCENE_QR_CODE" };
        if (call.State.UnionId(call.AppId!, openId) is { } unionId)
            user["unionid"] = unionId;
        return user;
    }

    public static ValueTask<Reply> MassSendAll(Call call)
    {
        var body = call.Body!;
        if (body["filter"] is not JsonObject || !HasMassContent(body))
            return Done(Reply.Fail(47003));
        return Done(MassAccepted(call));
    }

    public static ValueTask<Reply> MassSend(Call call)
    {
        var body = call.Body!;
        if (body["touser"] is not JsonArray { Count: >= 2 and <= 10_000 })
            return Done(Reply.Fail(40130));
        return Done(HasMassContent(body) ? MassAccepted(call) : Reply.Fail(47003));
    }

    public static ValueTask<Reply> TagCreate(Call call)
    {
        var name = Str(call.Body!["tag"], "name");
        if (string.IsNullOrEmpty(name) || name.Length > 30)
            return Done(Reply.Fail(45158));
        var (code, id) = call.State.CreateTag(call.AppId!, name);
        return Done(code != 0 ? Reply.Fail(code) : Reply.Ok(new JsonObject { ["tag"] = new JsonObject { ["id"] = id, ["name"] = name } }));
    }

    /// <summary><c>cgi-bin/menu/create</c>: 1–3 buttons of at most 16 bytes, each with 1–5 sub-buttons of at most
    /// 60 bytes or a type of its own; click needs a key (≤128 bytes), view a URL (≤1024 bytes). The accepted menu
    /// replaces the app's menu.</summary>
    public static ValueTask<Reply> MenuCreate(Call call)
    {
        if (call.Body!["button"] is not JsonArray buttons || buttons.Count is < 1 or > 3)
            return Done(Reply.Fail(40016));
        foreach (var button in buttons)
        {
            if (button is not JsonObject top)
                return Done(Reply.Fail(40017));
            if (top["sub_button"] is JsonArray subs && Str(top, "type") is null)
            {
                if (Bytes(Str(top, "name")) is < 1 or > 16)
                    return Done(Reply.Fail(40018));
                if (subs.Count is < 1 or > 5)
                    return Done(Reply.Fail(40023));
                foreach (var sub in subs)
                {
                    var code = sub is JsonObject leaf ? CheckMenuLeaf(leaf, 60, 40024, 40025, 40026, 40027) : 40024;
                    if (code != 0)
                        return Done(Reply.Fail(code));
                }
            }
            else
            {
                var code = CheckMenuLeaf(top, 16, 40017, 40018, 40019, 40020);
                if (code != 0)
                    return Done(Reply.Fail(code));
            }
        }

        call.State.SetMenu(call.AppId!, buttons.ToJsonString());
        return Done(Reply.Ok());
    }

    private static int CheckMenuLeaf(JsonObject button, int maxNameBytes, int badType, int badName, int badKey, int badUrl)
    {
        if (Bytes(Str(button, "name")) < 1 || Bytes(Str(button, "name")) > maxNameBytes)
            return badName;
        return Str(button, "type") switch
        {
            "click" or "scancode_push" or "scancode_waitmsg" or "pic_sysphoto" or "pic_photo_or_album" or "pic_weixin" or "location_select"
                => Bytes(Str(button, "key")) is < 1 or > 128 ? badKey : 0,
            "view" => Bytes(Str(button, "url")) is < 1 or > 1024 ? badUrl : 0,
            "miniprogram" => Bytes(Str(button, "url")) is < 1 or > 1024 || Str(button, "appid") is null ? badUrl : 0,
            "media_id" or "article_id" or "article_view_limited" => 0,
            _ => badType,
        };
    }

    private static int Bytes(string? text) => text is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(text);

    public static ValueTask<Reply> TagsGet(Call call)
    {
        var tags = new JsonArray();
        foreach (var (id, name, count) in call.State.Tags(call.AppId!))
            tags.Add(new JsonObject { ["id"] = id, ["name"] = name, ["count"] = count });
        return Done(Reply.Ok(new JsonObject { ["tags"] = tags }));
    }

    public static ValueTask<Reply> BatchTagging(Call call)
    {
        var body = call.Body!;
        if (body["openid_list"] is not JsonArray { Count: > 0 } list)
            return Done(Reply.Fail(40032));
        if (list.Count > 50)
            return Done(Reply.Fail(40032));
        var tagId = body["tagid"] is JsonValue v && v.TryGetValue<int>(out var t) ? t : -1;
        var code = call.State.TagMembers(call.AppId!, tagId, list.Select(n => n?.GetValue<string>() ?? string.Empty));
        return Done(code == 0 ? Reply.Ok() : Reply.Fail(code));
    }

    public static ValueTask<Reply> QrCodeCreate(Call call)
    {
        var body = call.Body!;
        var action = Str(body, "action_name");
        var scene = Str(body["action_info"]?["scene"], "scene_str");
        if (action is not ("QR_LIMIT_STR_SCENE" or "QR_STR_SCENE") || string.IsNullOrEmpty(scene) || scene.Length > 64)
            return Done(Reply.Fail(40097));
        var ticket = "gQ" + RandomNumberGenerator.GetHexString(40, lowercase: true);
        var payload = new JsonObject { ["ticket"] = ticket, ["url"] = "http://weixin.qq.com/q/" + ticket[..22] };
        if (action == "QR_STR_SCENE")
            payload["expire_seconds"] = body["expire_seconds"] is JsonValue e && e.TryGetValue<int>(out var s) ? s : 60;
        return Done(Reply.Ok(payload));
    }

    // jscode2session and the OAuth code exchange check the app's credentials and grant type the same way,
    // then redeem a one-time code (named js_code or code) for the OpenID it was issued to.
    private static (int Error, string? OpenId) RedeemAuthorizationCode(Call call, string codeParameter)
    {
        var appId = call.Query["appid"].FirstOrDefault();
        var credentials = call.State.CheckCredentials(appId, call.Query["secret"].FirstOrDefault());
        if (credentials != 0)
            return (credentials, null);
        if (call.Query["grant_type"].FirstOrDefault() != "authorization_code")
            return (40002, null);
        return call.State.RedeemCode(appId!, call.Query[codeParameter].FirstOrDefault());
    }

    public static ValueTask<Reply> CodeToSession(Call call)
    {
        var (code, openId) = RedeemAuthorizationCode(call, "js_code");
        if (code != 0)
            return Done(Reply.Fail(code));
        var session = new JsonObject { ["openid"] = openId, ["session_key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)) };
        if (call.State.UnionId(call.Query["appid"].FirstOrDefault()!, openId!) is { } unionId)
            session["unionid"] = unionId;
        return Done(Reply.Ok(session));
    }

    public static ValueTask<Reply> WxaCodeUnlimited(Call call)
    {
        var scene = Str(call.Body!, "scene");
        if (string.IsNullOrEmpty(scene) || scene.Length > 32)
            return Done(Reply.Fail(40169));
        return Done(new Reply(0, Binary: Png));
    }

    public static ValueTask<Reply> GenerateUrlLink(Call call) =>
        Done(Reply.Ok(new JsonObject { ["url_link"] = "https://wxaurl.cn/" + RandomNumberGenerator.GetHexString(12, lowercase: true) }));

    public static ValueTask<Reply> GetTicket(Call call)
    {
        if (call.Query["type"].FirstOrDefault() is not ("jsapi" or "wx_card"))
            return Done(Reply.Fail(40097));
        return Done(Reply.Ok(new JsonObject { ["ticket"] = "SIMTICKET_" + RandomNumberGenerator.GetHexString(40, lowercase: true), ["expires_in"] = 7200 }));
    }

    public static ValueTask<Reply> OAuthAccessToken(Call call)
    {
        var (code, openId) = RedeemAuthorizationCode(call, "code");
        if (code != 0)
            return Done(Reply.Fail(code));
        return Done(Reply.Ok(new JsonObject
        {
            ["access_token"] = "SIMWEB_" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            ["expires_in"] = 7200,
            ["refresh_token"] = "SIMREFRESH_" + RandomNumberGenerator.GetHexString(32, lowercase: true),
            ["openid"] = openId,
            ["scope"] = "snsapi_base",
            ["is_snapshotuser"] = 0,
        }));
    }

    /// <summary>Field limits of template and subscribe messages by keyword type (thing1, phrase2, ...), in characters.</summary>
    private static readonly (string Prefix, int Max)[] FieldLimits =
    [
        ("character_string", 32), ("phone_number", 17), ("car_number", 8), ("thing", 20), ("number", 32),
        ("letter", 32), ("symbol", 5), ("phrase", 5), ("name", 20), ("amount", 14),
    ];

    private static bool FieldsFit(JsonObject data)
    {
        foreach (var (key, node) in data)
        {
            var value = Str(node, "value");
            if (value is null)
                return false;
            foreach (var (prefix, max) in FieldLimits)
            {
                if (key.StartsWith(prefix, StringComparison.Ordinal) && key.Length > prefix.Length && char.IsAsciiDigit(key[prefix.Length]))
                {
                    if (value.Length > max)
                        return false;
                    break;
                }
            }
        }
        return true;
    }

    private static Reply MassAccepted(Call call) =>
        Reply.Ok(new JsonObject { ["msg_id"] = call.State.NextId(), ["msg_data_id"] = call.State.NextId() });

    private static bool HasMassContent(JsonObject body) => Str(body, "msgtype") switch
    {
        "text" => !string.IsNullOrEmpty(Str(body["text"], "content")),
        "mpnews" => !string.IsNullOrEmpty(Str(body["mpnews"], "media_id")),
        "image" or "voice" or "mpvideo" or "wxcard" => true,
        _ => false,
    };

    private static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static ValueTask<Reply> Done(Reply reply) => ValueTask.FromResult(reply);
}
