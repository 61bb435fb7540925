using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Corrections;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Corrections;

public sealed class CorrectionTests(CorrectionServerFixture fixture) : IClassFixture<CorrectionServerFixture>
{
    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task A_resident_submits_a_name_correction_with_a_photo_stored_encrypted_under_a_random_name()
    {
        var id = TestIds.Next();
        var (token, residentId, _) = await Server.BoundResidentAsync("张三丰", id);

        var submitted = await Server.SubmitAsync(token, residentId, "name", "张三峰", CorrectionRequests.Jpeg);
        var mine = await Server.MyCorrectionsAsync(token);

        Assert.Equal(HttpStatusCode.Created, submitted.Status);
        Assert.Equal("pending", submitted.Body.GetProperty("status").GetString());
        Assert.Equal("审核中", submitted.Body.GetProperty("statusName").GetString());
        Assert.Equal("张**", submitted.Body.GetProperty("value").GetString());
        Assert.True(submitted.Body.GetProperty("hasPhoto").GetBoolean());
        var row = Assert.Single(mine.EnumerateArray());
        Assert.Equal(submitted.Body.GetProperty("id").GetInt64(), row.GetProperty("id").GetInt64());
        Assert.DoesNotContain("张三峰", mine.ToString(), StringComparison.Ordinal);

        var file = Directory.GetFiles(fixture.PhotoDirectory).Single(f => Path.GetFileName(f) == PhotoFileOf(submitted.Body.GetProperty("id").GetInt64()));
        Assert.Matches("^[0-9a-f]{32}\\.bin$", Path.GetFileName(file));
        Assert.DoesNotContain(id[..6], Path.GetFileName(file), StringComparison.Ordinal);
        var stored = await File.ReadAllBytesAsync(file);
        Assert.False(stored.AsSpan().StartsWith(CorrectionRequests.Jpeg.AsSpan(0, 3)));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM corrections WHERE new_value_encrypted LIKE '%张三峰%'"));
    }

    [Fact]
    public async Task A_photo_too_large_or_not_an_image_is_refused_and_nothing_is_stored()
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("李大", TestIds.Next());

        var large = await Server.SubmitAsync(token, residentId, "name", "李达", [.. CorrectionRequests.Jpeg, .. new byte[5000]]);
        var text = await Server.SubmitAsync(token, residentId, "name", "李达", "not an image at all"u8.ToArray(), "photo.jpg");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.Status);
        Assert.Equal("photoTooLarge", large.Body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.Status);
        Assert.Equal("photoType", text.Body.GetProperty("code").GetString());
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM corrections WHERE resident_id = {residentId}"));
    }

    [Theory]
    [InlineData("age", "30", HttpStatusCode.BadRequest, "fieldInvalid")]
    [InlineData("name", "  ", HttpStatusCode.BadRequest, "valueMissing")]
    [InlineData("idNumber", "500243198001011235", HttpStatusCode.BadRequest, "idChecksumMismatch")]
    [InlineData("category", "富豪", HttpStatusCode.BadRequest, "categoryUnknown")]
    [InlineData("village", "文家村", HttpStatusCode.UnprocessableEntity, "sameValue")]
    public async Task A_wrong_field_or_value_is_refused_in_plain_chinese(string field, string value, HttpStatusCode status, string code)
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("王五", TestIds.Next());

        var result = await Server.SubmitAsync(token, residentId, field, value);

        Assert.Equal(status, result.Status);
        Assert.Equal(code, result.Body.GetProperty("code").GetString());
        Assert.Matches("\\p{IsCJKUnifiedIdeographs}", result.Body.GetProperty("detail").GetString()!);
    }

    [Fact]
    public async Task Only_a_person_bound_to_the_caller_can_be_corrected()
    {
        var stranger = await Server.SeedAsync("路人甲", TestIds.Next());
        var (token, _, _) = await Server.BoundResidentAsync("赵六", TestIds.Next());

        var result = await Server.SubmitAsync(token, stranger, "name", "路人乙");

        Assert.Equal(HttpStatusCode.NotFound, result.Status);
        Assert.Equal("residentNotBound", result.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_a_session_token_nothing_can_be_submitted()
    {
        var resident = await Server.SeedAsync("钱七", TestIds.Next());

        var result = await Server.SubmitAsync("forged-token", resident, "name", "钱奇");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
    }

    [Fact]
    public async Task A_cadre_sees_the_corrections_of_their_village_only_and_township_staff_those_of_their_township()
    {
        var township = "镇" + Guid.NewGuid().ToString("N")[..6];
        var (tokenA, residentA, _) = await Server.BoundResidentAsync("孙甲", TestIds.Next(), township, "甲村");
        var (tokenB, residentB, _) = await Server.BoundResidentAsync("孙乙", TestIds.Next(), township, "乙村");
        var inA = await Server.SubmitAsync(tokenA, residentA, "address", "甲村3组12号");
        var inB = await Server.SubmitAsync(tokenB, residentB, "household", "H-0042");
        using var cadre = await StaffSession.SignInAsync(Server, await StaffSession.CreateUserAsync(Server, StaffRole.Village, township, "甲村"));
        using var township1 = await StaffSession.SignInAsync(Server, await StaffSession.CreateUserAsync(Server, StaffRole.Township, township, null));

        var cadreQueue = await cadre.GetAsync("/api/v1/admin/corrections");
        var townshipQueue = await township1.GetAsync("/api/v1/admin/corrections");
        var otherVillage = await cadre.GetAsync($"/api/v1/admin/corrections/{inB.Body.GetProperty("id").GetInt64()}");
        var otherVillageApprove = await cadre.PostAsync($"/api/v1/admin/corrections/{inB.Body.GetProperty("id").GetInt64()}/approve");

        var row = Assert.Single(cadreQueue.Body.EnumerateArray());
        Assert.Equal(inA.Body.GetProperty("id").GetInt64(), row.GetProperty("id").GetInt64());
        Assert.Equal("孙*", row.GetProperty("name").GetString());
        Assert.Equal("甲村3****", row.GetProperty("value").GetString());
        Assert.Equal(2, townshipQueue.Body.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, otherVillage.Status);
        Assert.Equal(HttpStatusCode.NotFound, otherVillageApprove.Status);
        Assert.Equal("pending", await StatusAsync(inB.Body.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task Approving_a_name_updates_the_registry_keeps_encrypted_history_notifies_and_audits()
    {
        var township = "镇" + Guid.NewGuid().ToString("N")[..6];
        var (token, residentId, openId) = await Server.BoundResidentAsync("周八", TestIds.Next(), township);
        var submitted = await Server.SubmitAsync(token, residentId, "name", "周 捌");
        var correctionId = submitted.Body.GetProperty("id").GetInt64();
        var cadreName = await StaffSession.CreateUserAsync(Server, StaffRole.Village, township, "文家村");
        using var cadre = await StaffSession.SignInAsync(Server, cadreName);

        var detail = await cadre.GetAsync($"/api/v1/admin/corrections/{correctionId}");
        var approved = await cadre.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve", new { reason = (string?)null });
        var mine = await Server.MyCorrectionsAsync(token);

        Assert.Equal("周八", detail.Body.GetProperty("currentValue").GetString());
        Assert.Equal("周捌", detail.Body.GetProperty("newValue").GetString());
        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("approved", approved.Body.GetProperty("status").GetString());
        Assert.True(approved.Body.GetProperty("notified").GetBoolean());
        Assert.Equal("已通过", Assert.Single(mine.EnumerateArray()).GetProperty("statusName").GetString());
        var resident = (await Server.Services.GetRequiredService<ResidentRegistry>().GetAsync([residentId], CancellationToken.None)).Single();
        Assert.Equal("周捌", resident.Name);

        var history = Assert.Single(await Server.Services.GetRequiredService<ResidentEditor>().HistoryAsync(residentId, CancellationToken.None));
        Assert.Equal(("name", "周八", "周捌", correctionId, cadreName), (history.Field, history.OldValue, history.NewValue, history.CorrectionId!.Value, history.StaffUser));
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM resident_history WHERE old_value_encrypted LIKE '%周八%' OR new_value_encrypted LIKE '%周捌%'"));

        var log = Server.Services.GetRequiredService<SimulatorCallLog>();
        var message = log.Outbox(openId).Single(c => c.Endpoint == "cgi-bin/message/subscribe/send");
        var body = JsonDocument.Parse(message.Body!).RootElement;
        Assert.Equal(CorrectionServerFixture.TemplateId, body.GetProperty("template_id").GetString());
        Assert.Equal("姓名", body.GetProperty("data").GetProperty("thing1").GetProperty("value").GetString());
        Assert.Equal("已通过", body.GetProperty("data").GetProperty("phrase2").GetProperty("value").GetString());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE staff_user = '{cadreName}' AND resident_id = {residentId} AND action = '{AdminCorrectionEndpoints.ApproveAction}'"));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE staff_user = '{cadreName}' AND resident_id = {residentId} AND action = '{AdminCorrectionEndpoints.ReadAction}'"));
    }

    [Fact]
    public async Task Approving_a_new_id_number_rehashes_it_so_the_resident_is_found_by_the_new_number()
    {
        var oldNumber = TestIds.Next(birth: "19750505");
        var newNumber = TestIds.Next(birth: "19760606");
        var (token, residentId, _) = await Server.BoundResidentAsync("吴九", oldNumber);
        var correctionId = (await Server.SubmitAsync(token, residentId, "idNumber", newNumber.ToLowerInvariant())).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");

        Assert.Equal(HttpStatusCode.OK, approved.Status);
        var registry = Server.Services.GetRequiredService<ResidentRegistry>();
        Assert.True(ResidentIdNumber.TryParse(newNumber, new DateOnly(2023, 11, 15), out var parsedNew, out _));
        Assert.True(ResidentIdNumber.TryParse(oldNumber, new DateOnly(2023, 11, 15), out var parsedOld, out _));
        var found = await registry.FindAsync("pengshui-2024", parsedNew.Value, CancellationToken.None);
        Assert.Equal(residentId, found?.Id);
        Assert.Equal(new DateOnly(1976, 6, 6), found!.BirthDate);
        Assert.Null(await registry.FindAsync("pengshui-2024", parsedOld.Value, CancellationToken.None));
    }

    [Fact]
    public async Task An_id_number_another_resident_has_is_refused_with_a_clear_error_and_changes_nothing()
    {
        var taken = TestIds.Next();
        await Server.SeedAsync("郑十", taken);
        var own = TestIds.Next();
        var (token, residentId, _) = await Server.BoundResidentAsync("郑拾", own);
        var correctionId = (await Server.SubmitAsync(token, residentId, "idNumber", taken)).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");

        Assert.Equal(HttpStatusCode.Conflict, approved.Status);
        Assert.Equal("idNumberTaken", approved.Body.GetProperty("code").GetString());
        Assert.Contains("另一位居民", approved.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("pending", await StatusAsync(correctionId));
        Assert.Equal(own, (await Server.Services.GetRequiredService<ResidentRegistry>().GetAsync([residentId], CancellationToken.None)).Single().IdNumber);
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM resident_history WHERE resident_id = {residentId}"));
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE resident_id = {residentId} AND action = '{AdminCorrectionEndpoints.ApproveAction}'"));
    }

    [Fact]
    public async Task A_category_correction_resolves_everyday_words_to_the_county_s_codes()
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("冯十一", TestIds.Next());
        var correctionId = (await Server.SubmitAsync(token, residentId, "category", "低保")).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");

        Assert.Equal(["dibao"], (await Server.Services.GetRequiredService<ResidentRegistry>().GetAsync([residentId], CancellationToken.None)).Single().CategoryCodes);
    }

    [Fact]
    public async Task Rejecting_needs_a_reason_leaves_the_registry_alone_and_sends_the_reason()
    {
        var (token, residentId, openId) = await Server.BoundResidentAsync("陈十二", TestIds.Next());
        var correctionId = (await Server.SubmitAsync(token, residentId, "village", "新村")).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var noReason = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/reject", new { reason = " " });
        var rejected = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/reject", new { reason = "户籍仍在文家村" });
        var twice = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");

        Assert.Equal("reasonMissing", noReason.Body.GetProperty("code").GetString());
        Assert.Equal("rejected", rejected.Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, twice.Status);
        Assert.Equal("alreadyReviewed", twice.Body.GetProperty("code").GetString());
        Assert.Equal("文家村", (await Server.Services.GetRequiredService<ResidentRegistry>().GetAsync([residentId], CancellationToken.None)).Single().Village);
        var message = Server.Services.GetRequiredService<SimulatorCallLog>().Outbox(openId).Single();
        var data = JsonDocument.Parse(message.Body!).RootElement.GetProperty("data");
        Assert.Equal("户籍仍在文家村", data.GetProperty("thing3").GetProperty("value").GetString());
        Assert.Equal("未通过", data.GetProperty("phrase2").GetProperty("value").GetString());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE resident_id = {residentId} AND action = '{AdminCorrectionEndpoints.RejectAction}'"));
    }

    [Fact]
    public async Task A_failed_message_is_recorded_and_does_not_undo_the_approval()
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("褚十三", TestIds.Next());
        var correctionId = (await Server.SubmitAsync(token, residentId, "household", "H-7")).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        Server.Services.GetRequiredService<SimulatorFaults>().Inject(new SimulatorFault("cgi-bin/message/subscribe/send", SimulatorFaultKind.ErrorCode) { ErrorCode = 43101 });

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");

        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("approved", approved.Body.GetProperty("status").GetString());
        Assert.False(approved.Body.GetProperty("notified").GetBoolean());
        Assert.Contains("43101", approved.Body.GetProperty("notifyError").GetString(), StringComparison.Ordinal);
        Assert.Equal("H-7", (await Server.Services.GetRequiredService<ResidentRegistry>().GetAsync([residentId], CancellationToken.None)).Single().Household);
    }

    [Fact]
    public async Task Staff_open_the_photo_decrypted_and_the_read_is_audited()
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("卫十四", TestIds.Next());
        var correctionId = (await Server.SubmitAsync(token, residentId, "name", "魏十四", CorrectionRequests.Jpeg)).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        using var response = await admin.Client.GetAsync(new Uri($"/api/v1/admin/corrections/{correctionId}/photo", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(CorrectionRequests.Jpeg, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE resident_id = {residentId} AND action = '{AdminCorrectionEndpoints.PhotoAction}'"));
    }

    [Fact]
    public async Task Approving_without_the_antiforgery_token_is_refused()
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("蒋十五", TestIds.Next());
        var correctionId = (await Server.SubmitAsync(token, residentId, "household", "H-9")).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var result = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve", withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, result.Status);
        Assert.Equal("pending", await StatusAsync(correctionId));
    }

    [Fact]
    public async Task A_resident_may_have_only_a_few_corrections_pending_at_once()
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("沈十六", TestIds.Next());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Server.SubmitAsync(token, residentId, "household", "H-" + i)).Status);
        }

        var sixth = await Server.SubmitAsync(token, residentId, "household", "H-6");

        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.Status);
        Assert.Equal("tooManyPending", sixth.Body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Staff_read_a_resident_s_change_history_masked_within_their_scope_and_audited()
    {
        var township = "镇" + Guid.NewGuid().ToString("N")[..6];
        var (token, residentId, _) = await Server.BoundResidentAsync("韩十七", TestIds.Next(), township, "甲村");
        var nameChange = (await Server.SubmitAsync(token, residentId, "name", "韩拾柒")).Body.GetProperty("id").GetInt64();
        var villageChange = (await Server.SubmitAsync(token, residentId, "household", "H-17")).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        await admin.PostAsync($"/api/v1/admin/corrections/{nameChange}/approve");
        await admin.PostAsync($"/api/v1/admin/corrections/{villageChange}/approve");
        var cadreName = await StaffSession.CreateUserAsync(Server, StaffRole.Village, township, "甲村");
        using var cadre = await StaffSession.SignInAsync(Server, cadreName);
        using var outsider = await StaffSession.SignInAsync(Server, await StaffSession.CreateUserAsync(Server, StaffRole.Village, township, "乙村"));

        var history = await cadre.GetAsync($"/api/v1/admin/residents/{residentId}/history");
        var refused = await outsider.GetAsync($"/api/v1/admin/residents/{residentId}/history");

        Assert.Equal(HttpStatusCode.OK, history.Status);
        var rows = history.Body.EnumerateArray().ToList();
        Assert.Equal(["name", "household"], rows.Select(r => r.GetProperty("field").GetString()));
        Assert.Equal(("韩**", "韩**"), (rows[0].GetProperty("oldValue").GetString(), rows[0].GetProperty("newValue").GetString()));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("oldValue").ValueKind);
        Assert.Equal("H-17", rows[1].GetProperty("newValue").GetString());
        Assert.Equal(nameChange, rows[0].GetProperty("correctionId").GetInt64());
        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE staff_user = '{cadreName}' AND resident_id = {residentId} AND action = '{AdminResidentEndpoints.HistoryAction}'"));
    }

    private async Task<string> StatusAsync(long correctionId)
    {
        var correction = await Server.Services.GetRequiredService<CorrectionStore>().GetAsync(correctionId, CancellationToken.None);
        return correction is null ? "" : correction.Status.ToString().ToLowerInvariant();
    }

    private string PhotoFileOf(long correctionId) =>
        Server.Services.GetRequiredService<CorrectionStore>().GetAsync(correctionId, CancellationToken.None).GetAwaiter().GetResult()!.PhotoFile!;
}
