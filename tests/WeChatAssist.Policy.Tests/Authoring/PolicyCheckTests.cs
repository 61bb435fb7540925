using System.Text;

namespace WeChatAssist.Policy.Tests.Authoring;

/// <summary><c>policy check</c> and draft upload: each fault class is named with file, line, column and reason.</summary>
public class PolicyCheckTests
{
    [Fact]
    public void The_valid_sample_has_no_fault()
    {
        var result = PolicyCheck.Check(FaultSamples.Valid, "sample.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Faults));
        Assert.Equal("sample-2024", result.Policy!.Id);
    }

    [Theory]
    [MemberData(nameof(FaultSamples.Names), MemberType = typeof(FaultSamples))]
    public void Each_fault_class_is_reported_at_its_line_and_column(string name)
    {
        var sample = FaultSamples.Get(name);
        var result = PolicyCheck.Check(sample.Yaml, "bad.yaml");
        Assert.False(result.Ok);
        var fault = Assert.Single(result.Faults);
        Assert.Contains(sample.Reason, fault.Reason, StringComparison.Ordinal);
        Assert.Equal((sample.Line, sample.Column), (fault.Line, fault.Column));
        Assert.StartsWith($"bad.yaml:{sample.Line}:{sample.Column}: ", fault.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_over_one_megabyte_is_refused_before_it_is_parsed()
    {
        var big = Encoding.UTF8.GetBytes(FaultSamples.Valid + "\n# " + new string('x', PolicyCheck.MaxBytes));
        var fault = Assert.Single(PolicyCheck.Check(big, "big.yaml").Faults);
        Assert.Contains("at most 1,048,576 bytes (1 MB)", fault.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_utf8_is_refused_with_the_position_of_the_first_bad_byte()
    {
        // "name: 样例县" in GBK: the bytes after "name: " on line 3 are not UTF-8.
        var text = Encoding.UTF8.GetBytes("formatVersion: 1\nid: x\nname: ");
        byte[] gbk = [0xD1, 0xF9, 0xC0, 0xFD, 0xCF, 0xD8, (byte)'\n'];
        var fault = Assert.Single(PolicyCheck.Check([.. text, .. gbk], "gbk.yaml").Faults);
        Assert.Contains("not UTF-8", fault.Reason, StringComparison.Ordinal);
        Assert.Equal((3, 7), (fault.Line, fault.Column));
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_accepted()
    {
        var result = PolicyCheck.Check([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(FaultSamples.Valid)], "bom.yaml");
        Assert.True(result.Ok, string.Join("\n", result.Faults));
    }

    [Fact]
    public void The_shipped_files_pass_the_check()
    {
        foreach (var p in Shipped.Catalog.All)
        {
            using var stream = typeof(PolicyCatalog).Assembly.GetManifestResourceStream("WeChatAssist.Policy.Policies." + p.Id + ".yaml")!;
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            Assert.True(PolicyCheck.Check(memory.ToArray(), p.Id + ".yaml").Ok, p.Id);
        }
    }
}
