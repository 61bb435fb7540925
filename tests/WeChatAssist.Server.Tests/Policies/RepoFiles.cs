namespace WeChatAssist.Server.Tests.Policies;

/// <summary>Files of the repository the policy tests read: the shipped notices and the made-up 彭水 2025 draft.</summary>
internal static class RepoFiles
{
    /// <summary>The made-up 彭水 2025 draft (test data, not a real notice).</summary>
    public static string DraftPath => Path.Combine(Root(), "tests", "WeChatAssist.Policy.Tests", "Authoring", "pengshui-2025-draft.yaml");

    /// <summary>The repository root (where WeChatAssist.sln lives), found from the test output folder.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WeChatAssist.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
