using System.Net;
using System.Net.Http.Json;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class StaffManagementTests(SqliteResidentServerFixture fixture) : IClassFixture<SqliteResidentServerFixture>
{
    private const string NewPassword = "a-new-password-2";

    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task Bureau_staff_create_a_village_cadre_who_signs_in_and_the_creation_is_audited()
    {
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var name = "cadre" + Guid.NewGuid().ToString("N")[..8];

        var created = await admin.PostAsync("/api/v1/admin/staff", new { userName = name, password = NewPassword, role = "village", policyId = "pengshui-2024", township = "汉葭街道", village = "文家村" });
        using var cadre = await StaffSession.SignInAsync(Server, name, NewPassword);
        var me = await cadre.GetAsync("/api/v1/staff/me");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("village", created.Body.GetProperty("role").GetString());
        Assert.DoesNotContain("password", created.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("文家村", me.Body.GetProperty("village").GetString());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM staff_audit_log WHERE staff_user = 'admin' AND action = '{StaffManagementEndpoints.CreateAction}' AND target = '{name}'"));
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM staff_users WHERE user_name = '{name}' AND password_hash LIKE '%{NewPassword}%'"));
    }

    [Theory]
    [InlineData("ab", NewPassword, "village", "pengshui-2024", "汉葭街道", "文家村", "staffUserNameInvalid")]
    [InlineData("valid-name", "short", "village", "pengshui-2024", "汉葭街道", "文家村", "staffPasswordWeak")]
    [InlineData("valid-name", NewPassword, "mayor", "pengshui-2024", "汉葭街道", "文家村", "staffRoleInvalid")]
    [InlineData("valid-name", NewPassword, "village", "pengshui-2024", "汉葭街道", null, "staffScopeInvalid")]
    [InlineData("valid-name", NewPassword, "township", "pengshui-2024", null, null, "staffScopeInvalid")]
    [InlineData("valid-name", NewPassword, "township", "atlantis-2024", "汉葭街道", null, "staffScopeInvalid")]
    public async Task An_account_with_a_bad_name_password_role_or_scope_is_refused_in_plain_chinese(string userName, string password, string role, string policyId, string? township, string? village, string code)
    {
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var result = await admin.PostAsync("/api/v1/admin/staff", new { userName, password, role, policyId, township, village });

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal(code, result.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_taken_user_name_is_a_conflict()
    {
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var result = await admin.PostAsync("/api/v1/admin/staff", new { userName = ResidentServer.AdminUser, password = NewPassword, role = "bureau" });

        Assert.Equal(HttpStatusCode.Conflict, result.Status);
        Assert.Equal("staffUserNameTaken", result.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Township_staff_create_village_cadres_only_in_their_own_township()
    {
        var township = "镇" + Guid.NewGuid().ToString("N")[..6];
        using var manager = await StaffSession.SignInAsync(Server, await StaffSession.CreateUserAsync(Server, StaffRole.Township, township, null));

        var cadre = await manager.PostAsync("/api/v1/admin/staff", new { userName = "c" + Guid.NewGuid().ToString("N")[..8], password = NewPassword, role = "village", policyId = "suiping-2025", township = "别的镇", village = "甲村" });
        var peer = await manager.PostAsync("/api/v1/admin/staff", new { userName = "t" + Guid.NewGuid().ToString("N")[..8], password = NewPassword, role = "township", township });
        var list = await manager.GetAsync("/api/v1/admin/staff");

        Assert.Equal(HttpStatusCode.Created, cadre.Status);
        Assert.Equal(township, cadre.Body.GetProperty("township").GetString());
        Assert.Equal("pengshui-2024", cadre.Body.GetProperty("policyId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, peer.Status);
        Assert.Equal(cadre.Body.GetProperty("userName").GetString(), Assert.Single(list.Body.EnumerateArray()).GetProperty("userName").GetString());
    }

    [Fact]
    public async Task Township_staff_cannot_touch_an_account_of_another_township_and_cadres_cannot_manage_at_all()
    {
        var other = await StaffSession.CreateUserAsync(Server, StaffRole.Village, "别的镇", "甲村");
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var otherId = await IdAsync(admin, other);
        using var manager = await StaffSession.SignInAsync(Server, await StaffSession.CreateUserAsync(Server, StaffRole.Township, "汉葭街道", null));
        using var cadre = await StaffSession.SignInAsync(Server, await StaffSession.CreateUserAsync(Server, StaffRole.Village, "汉葭街道", "文家村"));

        var disable = await manager.PostAsync($"/api/v1/admin/staff/{otherId}/disable");
        var cadreList = await cadre.GetAsync("/api/v1/admin/staff");

        Assert.Equal(HttpStatusCode.NotFound, disable.Status);
        Assert.Equal(HttpStatusCode.Forbidden, cadreList.Status);
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_session_and_refuses_its_login_until_enabled()
    {
        var user = await StaffSession.CreateUserAsync(Server, StaffRole.Village, "汉葭街道", "文家村");
        using var cadre = await StaffSession.SignInAsync(Server, user);
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var id = await IdAsync(admin, user);

        var disabled = await admin.PostAsync($"/api/v1/admin/staff/{id}/disable");
        var afterDisable = await cadre.GetAsync("/api/v1/staff/me");
        using var again = StaffSession.Anonymous(Server);
        using var refused = await again.Client.PostAsJsonAsync("/api/v1/staff/login", new { userName = user, password = StaffSession.Password });
        var enabled = await admin.PostAsync($"/api/v1/admin/staff/{id}/enable");
        using var back = await StaffSession.SignInAsync(Server, user);

        Assert.True(disabled.Body.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, afterDisable.Status);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("loginDisabled", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(enabled.Body.GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/api/v1/staff/me")).Status);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM staff_audit_log WHERE action = '{StaffManagementEndpoints.DisableAction}' AND target = '{user}'"));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM staff_audit_log WHERE action = '{StaffManagementEndpoints.EnableAction}' AND target = '{user}'"));
    }

    [Fact]
    public async Task Nobody_disables_their_own_account()
    {
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var result = await admin.PostAsync($"/api/v1/admin/staff/{await IdAsync(admin, ResidentServer.AdminUser)}/disable");

        Assert.Equal(HttpStatusCode.Conflict, result.Status);
        Assert.Equal("staffSelfDisable", result.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_password_reset_replaces_the_password_and_ends_existing_sessions()
    {
        var user = await StaffSession.CreateUserAsync(Server, StaffRole.Village, "汉葭街道", "文家村");
        using var cadre = await StaffSession.SignInAsync(Server, user);
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var reset = await admin.PostAsync($"/api/v1/admin/staff/{await IdAsync(admin, user)}/password", new { password = NewPassword });
        var oldSession = await cadre.GetAsync("/api/v1/staff/me");
        using var anonymous = StaffSession.Anonymous(Server);
        using var oldPassword = await anonymous.Client.PostAsJsonAsync("/api/v1/staff/login", new { userName = user, password = StaffSession.Password });
        using var fresh = await StaffSession.SignInAsync(Server, user, NewPassword);

        Assert.Equal(HttpStatusCode.OK, reset.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, oldSession.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, oldPassword.StatusCode);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM staff_audit_log WHERE action = '{StaffManagementEndpoints.PasswordAction}' AND target = '{user}'"));
    }

    [Fact]
    public async Task Unlocking_a_locked_account_lets_the_right_password_in_at_once()
    {
        var user = await StaffSession.CreateUserAsync(Server, StaffRole.Village, "汉葭街道", "文家村");
        using var anonymous = StaffSession.Anonymous(Server);
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await anonymous.Client.PostAsJsonAsync("/api/v1/staff/login", new { userName = user, password = "wrong" });
        }

        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var id = await IdAsync(admin, user);
        var locked = (await admin.GetAsync("/api/v1/admin/staff")).Body.EnumerateArray().Single(u => u.GetProperty("id").GetInt64() == id);

        var unlock = await admin.PostAsync($"/api/v1/admin/staff/{id}/unlock");
        using var right = await anonymous.Client.PostAsJsonAsync("/api/v1/staff/login", new { userName = user, password = StaffSession.Password });

        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, locked.GetProperty("lockedUntil").ValueKind);
        Assert.Equal(HttpStatusCode.OK, unlock.Status);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task A_cookie_authenticated_write_without_the_antiforgery_token_is_refused_and_changes_nothing()
    {
        var user = await StaffSession.CreateUserAsync(Server, StaffRole.Village, "汉葭街道", "文家村");
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var id = await IdAsync(admin, user);

        var withoutToken = await admin.PostAsync($"/api/v1/admin/staff/{id}/disable", withToken: false);
        var logoutWithoutToken = await admin.PostAsync("/api/v1/staff/logout", withToken: false);
        var stillSignedIn = await admin.GetAsync("/api/v1/staff/me");

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.Status);
        Assert.Equal("antiforgeryFailed", withoutToken.Body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, logoutWithoutToken.Status);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.Status);
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM staff_users WHERE id = {id} AND disabled_at IS NOT NULL"));
    }

    [Fact]
    public async Task A_token_issued_to_another_staff_member_does_not_pass()
    {
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        using var cadre = await StaffSession.SignInAsync(Server, await StaffSession.CreateUserAsync(Server, StaffRole.Village, "汉葭街道", "文家村"));
        var cadreToken = (await cadre.GetAsync("/api/v1/staff/antiforgery")).Body.GetProperty("token").GetString()!;

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/staff/logout", UriKind.Relative));
        request.Headers.Add(StaffAntiforgery.HeaderName, cadreToken);
        using var response = await admin.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_browser_holding_a_staff_cookie_still_reaches_anonymous_and_bearer_endpoints_without_a_token()
    {
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var code = await Server.IssueCodeAsync(ResidentServer.AppId, TestIds.OpenId());

        var session = await admin.PostAsync("/api/v1/mp/session", new { account = ResidentServer.Account, code }, withToken: false);
        using var bind = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/mp/bindings", UriKind.Relative))
        {
            Content = JsonContent.Create(new { name = "无此人", idNumber = TestIds.Next(), relation = "self" }),
        };
        bind.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", session.Body.GetProperty("token").GetString());
        using var bound = await admin.Client.SendAsync(bind);

        Assert.Equal(HttpStatusCode.OK, session.Status);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bound.StatusCode);
        Assert.Contains("bindingNotMatched", await bound.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<long> IdAsync(StaffSession admin, string userName)
    {
        var list = await admin.GetAsync("/api/v1/admin/staff");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        return list.Body.EnumerateArray().Single(u => u.GetProperty("userName").GetString() == userName).GetProperty("id").GetInt64();
    }
}
