<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>BatchAnnouncer</name>
    <message>
        <location filename="../../flaggui/ui/announcer.py" line="62" />
        <source>Downloading: {progress}</source>
        <translation>正在下载：{progress}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/announcer.py" line="80" />
        <source>Cannot download: {reason}</source>
        <translation>无法下载：{reason}</translation>
    </message>
</context>
<context>
    <name>BatchProgressBar</name>
    <message>
        <location filename="../../flaggui/ui/batch_progress.py" line="48" />
        <source>Download progress</source>
        <translation>下载进度</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="111" />
        <source>%n saved</source>
        <translation><numerusform>已保存 %n 面</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="112" />
        <source>%n already saved</source>
        <translation><numerusform>%n 面已存在</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="113" />
        <source>%n not found</source>
        <translation><numerusform>%n 面未找到</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="114" />
        <source>%n failed</source>
        <translation><numerusform>%n 面失败</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="115" />
        <source>%n cancelled</source>
        <translation><numerusform>%n 面已取消</numerusform></translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/batch_progress.py" line="126" />
        <source>{finished} of {total}</source>
        <translation>{finished} / {total}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="144" />
        <source>%n of {total} saved</source>
        <translation><numerusform>{total} 面中已保存 %n 面</numerusform></translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/batch_progress.py" line="148" />
        <source>, </source>
        <comment>between the parts of a list</comment>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/batch_progress.py" line="156" />
        <source>{rate} flags/s</source>
        <translation>每秒 {rate} 面</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/batch_progress.py" line="157" />
        <source>{rate} MiB/s</source>
        <translation>{rate} MiB/秒</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/batch_progress.py" line="159" />
        <source>{rate} KiB/s</source>
        <translation>{rate} KiB/秒</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="164" />
        <source>about %n s left</source>
        <translation><numerusform>约剩 %n 秒</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="166" />
        <source>about %n min left</source>
        <translation><numerusform>约剩 %n 分钟</numerusform></translation>
    </message>
</context>
<context>
    <name>BrowserPane</name>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="90" />
        <source>Filter flags by code or name (Ctrl+F)</source>
        <translation>按代码或名称筛选国旗（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="92" />
        <source>Filter flags</source>
        <translation>筛选国旗</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="98" />
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="100" />
        <source>Show every flag, or only the saved, failed or cancelled ones</source>
        <translation>显示全部国旗，或只显示已保存、失败或已取消的国旗</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="105" />
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="109" />
        <source>Sh&amp;ow:</source>
        <translation>显示(&amp;O)：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="113" />
        <source>Sort by:</source>
        <translation>排序：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="125" />
        <source>Flags</source>
        <translation>国旗</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="128" />
        <source>Arrow keys move, Enter opens the large view, Shift+F10 or the Menu key lists the actions</source>
        <translation>方向键移动，回车打开大图，Shift+F10 或菜单键列出操作</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="133" />
        <source>No flags here yet.
Pick countries on the left and press Download, or open a folder that has flags.</source>
        <translation>这里还没有国旗。
在左侧选择国家并点击“下载”，或打开一个已有国旗的文件夹。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="156" />
        <source>Thumbnail size (Ctrl + mouse wheel)</source>
        <translation>缩略图大小（Ctrl + 鼠标滚轮）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="157" />
        <source>Thumbnail size</source>
        <translation>缩略图大小</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="224" />
        <source>No saved flag matches {text}.</source>
        <translation>没有已保存的国旗匹配 {text}。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="225" />
        <source>No saved flags.</source>
        <translation>没有已保存的国旗。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="228" />
        <source>No failed flag matches {text}.</source>
        <translation>没有失败的国旗匹配 {text}。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="229" />
        <source>No failed flags.</source>
        <translation>没有失败的国旗。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="232" />
        <source>No cancelled flag matches {text}.</source>
        <translation>没有已取消的国旗匹配 {text}。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="233" />
        <source>No cancelled flags.</source>
        <translation>没有已取消的国旗。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="235" />
        <source>No flag matches {text}.</source>
        <translation>没有国旗匹配 {text}。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="260" />
        <source>All ({count})</source>
        <translation>全部（{count}）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="261" />
        <source>Saved ({count})</source>
        <translation>已保存（{count}）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="262" />
        <source>Failed ({count})</source>
        <translation>失败（{count}）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="263" />
        <source>Cancelled ({count})</source>
        <translation>已取消（{count}）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="268" />
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="269" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="270" />
        <source>Newest</source>
        <translation>最新</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="271" />
        <source>Largest file</source>
        <translation>最大文件</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="277" />
        <source>&amp;Filter flags…</source>
        <translation>筛选国旗(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="280" />
        <source>Zoom &amp;in</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="283" />
        <source>Zoom &amp;out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="286" />
        <source>&amp;Actual thumbnail size</source>
        <translation>默认缩略图大小(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="288" />
        <source>World &amp;map</source>
        <translation>世界地图(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="292" />
        <source>&amp;Export map as PNG…</source>
        <translation>将地图导出为 PNG(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="295" />
        <source>Show &amp;labels</source>
        <translation>显示标签(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="302" />
        <source>Sort by {order}</source>
        <translation>按{order}排序</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="437" />
        <source>Export the map</source>
        <translation>导出地图</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="440" />
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="450" />
        <source>Saved the map as {path}</source>
        <translation>地图已保存为 {path}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/browser.py" line="452" />
        <source>Could not save the map as {path}</source>
        <translation>无法将地图保存为 {path}</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../../flaggui/ui/compare.py" line="49" />
        <source>Sequential vs concurrent</source>
        <translation>顺序与并发对比</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="63" />
        <source>Downloading %n flags one at a time, then {limit} at a time…</source>
        <translation><numerusform>正在下载 %n 面国旗：先逐个下载，再每次 {limit} 个…</numerusform></translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/compare.py" line="94" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/compare.py" line="57" />
        <source>Sequential: 1 request at a time</source>
        <translation>顺序：每次 1 个请求</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/compare.py" line="58" />
        <source>Concurrent: up to {limit} at a time</source>
        <translation>并发：每次最多 {limit} 个</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/compare.py" line="98" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="141" />
        <source>%n flags: {sequential:.2f} s one at a time, {concurrent:.2f} s concurrently — {speedup:.1f}× faster</source>
        <translation><numerusform>%n 面国旗：逐个下载 {sequential:.2f} 秒，并发下载 {concurrent:.2f} 秒——快 {speedup:.1f} 倍</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="213" />
        <source>One at a time, each request waits for the one before it: %n × {each:.2f} s.</source>
        <translation><numerusform>逐个下载时，每个请求都要等前一个完成：%n × {each:.2f} 秒。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="219" />
        <source>Concurrently, all %n wait together: about as long as the slowest one ({slowest:.2f} s).</source>
        <translation><numerusform>并发下载时，%n 个请求一起等待：总时长约等于最慢的那一个（{slowest:.2f} 秒）。</numerusform></translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/compare.py" line="154" />
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/compare.py" line="226" />
        <source>Concurrently, up to {limit} wait together: about {rounds} rounds of {each:.2f} s.</source>
        <translation>并发下载时，最多 {limit} 个请求一起等待：大约 {rounds} 轮，每轮 {each:.2f} 秒。</translation>
    </message>
</context>
<context>
    <name>DownloadPanel</name>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="110" />
        <location filename="../../flaggui/ui/download_panel.py" line="114" />
        <source>Destination folder</source>
        <translation>保存文件夹</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="115" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="120" />
        <location filename="../../flaggui/ui/download_panel.py" line="135" />
        <source>Flag server</source>
        <translation>国旗服务器</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="123" />
        <source>Public (fluentpython.com)</source>
        <translation>公共服务器（fluentpython.com）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="124" />
        <source>Local (flaggui serve, port 8000)</source>
        <translation>本地（flaggui serve，端口 8000）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="125" />
        <source>Built-in (offline demo)</source>
        <translation>内置（离线演示）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="129" />
        <source>The flags that come with flaggui, served by flaggui itself: no network needed, and the network conditions are yours to set</source>
        <translation>flaggui 自带的国旗，由 flaggui 自己提供：无需网络，网络状况由你设定</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="134" />
        <source>Custom URL</source>
        <translation>自定义网址</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="136" />
        <source>Where the flags are downloaded from</source>
        <translation>从哪里下载国旗</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="139" />
        <source>Instant</source>
        <translation>即时</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="140" />
        <source>Typical Wi-Fi</source>
        <translation>典型 Wi-Fi</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="141" />
        <source>Slow mobile</source>
        <translation>慢速移动网络</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="142" />
        <source>Flaky</source>
        <translation>不稳定</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="146" />
        <source>Network conditions</source>
        <translation>网络状况</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="149" />
        <source>How the built-in server behaves: the wait before each answer, how fast it sends and how often it fails. Try Slow mobile with 1 and then 100 requests at once.</source>
        <translation>内置服务器的表现：每次响应前的等待、发送速度以及出错的频率。试试“慢速移动网络”，先每次 1 个请求，再每次 100 个。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="160" />
        <source>How many requests may be in flight at once</source>
        <translation>同时进行的请求数上限</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="161" />
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="162" />
        <source>URL:</source>
        <translation>网址：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="163" />
        <source>Network:</source>
        <translation>网络：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="167" />
        <source>Requests at once:</source>
        <translation>同时请求数：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="168" />
        <source>Adapt to the server</source>
        <translation>适应服务器</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="171" />
        <source>Start with a few requests and open more while the server keeps up; fewer when it throttles, stalls or drops connections. Turn it off to see what the full number at once does to the server.</source>
        <translation>先发少量请求，服务器跟得上时再增加；服务器限流、停滞或丢弃连接时减少。关闭它，可以看到一次发出全部请求对服务器的影响。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="178" />
        <source>Where on the server a flag is, and its format</source>
        <translation>国旗在服务器上的位置及其格式</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="179" />
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="183" />
        <source>Source:</source>
        <translation>来源：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="188" />
        <source>Countries</source>
        <translation>国家</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="191" />
        <source>Search code or name…</source>
        <translation>搜索代码或名称…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="193" />
        <source>Search countries</source>
        <translation>搜索国家</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="195" />
        <source>POP20</source>
        <translation>人口前 20</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="196" />
        <source>The 20 most populous countries</source>
        <translation>人口最多的 20 个国家</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="197" />
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="198" />
        <source>None</source>
        <translation>清空</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="199" />
        <source>Invert</source>
        <translation>反选</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="207" />
        <source>Countries to download</source>
        <translation>要下载的国家</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="209" />
        <source>Space checks or unchecks the country; Download fetches the checked ones</source>
        <translation>空格键勾选或取消勾选国家；“下载”获取已勾选的国家</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="311" />
        <source>{url} is not an http:// or https:// URL. Type one, such as http://127.0.0.1:8000/flags, or choose Public, Local or Built-in as the server.</source>
        <translation>{url} 不是 http:// 或 https:// 网址。请输入一个网址，例如 http://127.0.0.1:8000/flags，或选择“公共服务器”、“本地”或“内置”作为服务器。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="317" />
        <source>Type the URL of a flag server, such as http://127.0.0.1:8000/flags, or choose Public, Local or Built-in as the server.</source>
        <translation>请输入国旗服务器的网址，例如 http://127.0.0.1:8000/flags，或选择“公共服务器”、“本地”或“内置”作为服务器。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="328" />
        <source>The address of the flag server, http:// or https://</source>
        <translation>国旗服务器的地址，以 http:// 或 https:// 开头</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/download_panel.py" line="391" />
        <source>{selected} of {total} selected</source>
        <translation>已选 {selected} / {total}</translation>
    </message>
</context>
<context>
    <name>FailureBanner</name>
    <message>
        <location filename="../../flaggui/ui/failure_banner.py" line="48" />
        <source>Download problem</source>
        <translation>下载问题</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/failure_banner.py" line="56" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/failure_banner.py" line="61" />
        <location filename="../../flaggui/ui/failure_banner.py" line="62" />
        <source>Use the built-in server</source>
        <translation>使用内置服务器</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/failure_banner.py" line="64" />
        <source>Switch to the flags that come with flaggui: no network needed</source>
        <translation>改用 flaggui 自带的国旗：无需网络</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/failure_banner.py" line="66" />
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/failure_banner.py" line="67" />
        <source>Retry the failed flags</source>
        <translation>重试失败的国旗</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/failure_banner.py" line="73" />
        <location filename="../../flaggui/ui/failure_banner.py" line="74" />
        <source>Dismiss</source>
        <translation>关闭提示</translation>
    </message>
</context>
<context>
    <name>FlagActions</name>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="81" />
        <source>&amp;View large</source>
        <translation>查看大图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="82" />
        <source>&amp;Open in default app</source>
        <translation>用默认程序打开(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="83" />
        <source>Show in &amp;folder</source>
        <translation>在文件夹中显示(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="84" />
        <source>&amp;Copy image</source>
        <translation>复制图像(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="85" />
        <source>Copy &amp;path</source>
        <translation>复制路径(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="88" />
        <source>&amp;Delete to trash…</source>
        <translation>移到回收站(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="91" />
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="96" />
        <source>Actions menu</source>
        <translation>操作菜单</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="151" />
        <source>&amp;Retry</source>
        <translation>重试(&amp;R)</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="221" />
        <source>Copied %n flags</source>
        <translation><numerusform>已复制 %n 面国旗</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="227" />
        <source>Copied %n paths</source>
        <translation><numerusform>已复制 %n 个路径</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="242" />
        <source>Move %n flag files to the trash?</source>
        <translation><numerusform>将 %n 个国旗文件移到回收站？</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="272" />
        <source>Moved %n flag files to the trash</source>
        <translation><numerusform>已将 %n 个国旗文件移到回收站</numerusform></translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="241" />
        <source>Delete flags</source>
        <translation>删除国旗</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="86" />
        <location filename="../../flaggui/ui/flag_actions.py" line="153" />
        <source>Do&amp;wnload again</source>
        <translation>重新下载(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_actions.py" line="267" />
        <source>Could not move to the trash: {names}</source>
        <translation>无法移到回收站：{names}</translation>
    </message>
</context>
<context>
    <name>FlagFile</name>
    <message>
        <location filename="../../flaggui/ui/thumbnails.py" line="62" />
        <source>cannot read the file: {error}</source>
        <translation>无法读取此文件：{error}</translation>
    </message>
</context>
<context>
    <name>FlagListModel</name>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="623" />
        <source>{state}: {reason}</source>
        <translation>{state}：{reason}</translation>
    </message>
</context>
<context>
    <name>FlagViewer</name>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="52" />
        <source>Size:</source>
        <translation>尺寸：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="53" />
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="54" />
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="55" />
        <source>← → previous / next    Esc close</source>
        <translation>← → 上一个 / 下一个    Esc 关闭</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="56" />
        <source>Left and Right arrows: previous and next flag; Esc closes</source>
        <translation>左右方向键：上一面、下一面国旗；Esc 关闭</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="75" />
        <source>{name} — flag</source>
        <translation>{name}——国旗</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="79" />
        <source>not downloaded</source>
        <translation>未下载</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="81" />
        <source>{size:.1f} KiB</source>
        <translation>{size:.1f} KiB</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="120" />
        <source>No image</source>
        <translation>没有图像</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="136" />
        <source>This flag is not shown: {reason}</source>
        <translation>无法显示此国旗：{reason}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="151" />
        <source>{width} × {height} pixels</source>
        <translation>{width} × {height} 像素</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/viewer.py" line="165" />
        <source>Flag of {name}</source>
        <translation>{name}的国旗</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="100" />
        <source>Country flags, downloaded concurrently</source>
        <translation>国旗并发下载</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="123" />
        <location filename="../../flaggui/ui/smoke.py" line="115" />
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="125" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="126" />
        <source>Retry failed</source>
        <translation>重试失败项</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="143" />
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="150" />
        <source>Zoom:</source>
        <translation>缩放：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="166" />
        <source>&amp;Open folder…</source>
        <translation>打开文件夹(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="168" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="169" />
        <location filename="../../flaggui/ui/main_window.py" line="199" />
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="170" />
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="171" />
        <source>&amp;Retry failed</source>
        <translation>重试失败项(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="173" />
        <source>Compare &amp;sequential vs concurrent…</source>
        <translation>对比顺序与并发下载(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="175" />
        <source>&amp;About flaggui</source>
        <translation>关于 flaggui(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="178" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="182" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="184" />
        <source>&amp;Timeline</source>
        <translation>时间线(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="187" />
        <source>Follow the &amp;download</source>
        <translation>跟随下载(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="190" />
        <source>Keep the flags being downloaded in view; scrolling by hand pauses it</source>
        <translation>让正在下载的国旗保持在视野内；手动滚动会暂停跟随</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="198" />
        <source>F&amp;lag</source>
        <translation>国旗(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="204" />
        <source>&amp;Language</source>
        <translation>语言(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="205" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="209" />
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="227" />
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="228" />
        <source>The new language applies when flaggui starts again.</source>
        <translation>新的语言将在 flaggui 下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="329" />
        <source>Scrolled by hand: the grid no longer follows this download (View ▸ Follow the download follows it again).</source>
        <translation>已手动滚动：网格不再跟随本次下载（视图 ▸ 跟随下载 可重新跟随）。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/main_window.py" line="339" />
        <source>%n flags did not arrive last time, from {server}.</source>
        <translation><numerusform>上次有 %n 面国旗没有下载成功（来自 {server}）。</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/main_window.py" line="342" />
        <source>%n flags did not arrive last time.</source>
        <translation><numerusform>上次有 %n 面国旗没有下载成功。</numerusform></translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="345" />
        <source>Retry failed (Ctrl+R) downloads the failed and cancelled ones again.</source>
        <translation>“重试失败项”（Ctrl+R）会重新下载失败和已取消的国旗。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="371" />
        <source>Cannot open the folder</source>
        <translation>无法打开文件夹</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="372" />
        <source>Cannot open the folder {folder}: {problem}.</source>
        <translation>无法打开文件夹 {folder}：{problem}。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="379" />
        <source>The window shows {folder} instead.</source>
        <translation>窗口改为显示 {folder}。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="393" />
        <source>Choose the destination folder</source>
        <translation>选择保存文件夹</translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/main_window.py" line="428" />
        <location filename="../../flaggui/ui/smoke.py" line="108" />
        <source>Downloading %n flags…</source>
        <translation><numerusform>正在下载 %n 面国旗…</numerusform></translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="526" />
        <source>{done} done, {skipped} already saved, {missing} not found, {errors} failed, {cancelled} cancelled</source>
        <translation>完成 {done}，已存在 {skipped}，未找到 {missing}，失败 {errors}，已取消 {cancelled}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="540" />
        <source>Cannot download: {reason}</source>
        <translation>无法下载：{reason}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="568" />
        <source>About flaggui</source>
        <translation>关于 flaggui</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="571" />
        <source>&lt;b&gt;flaggui {version}&lt;/b&gt;&lt;br&gt;Downloads country flags concurrently with asyncio and shows each one the moment it arrives.</source>
        <translation>&lt;b&gt;flaggui {version}&lt;/b&gt;&lt;br&gt;用 asyncio 并发下载国旗，每面国旗一到就立即显示。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/main_window.py" line="587" />
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../flaggui/ui/map_view.py" line="180" />
        <source>World map of the flags</source>
        <translation>国旗世界地图</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/map_view.py" line="400" />
        <location filename="../../flaggui/ui/map_view.py" line="652" />
        <source>not downloaded</source>
        <translation>未下载</translation>
    </message>
</context>
<context>
    <name>Sources</name>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="40" />
        <source>Flag server (GIF)</source>
        <translation>国旗服务器（GIF）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="42" />
        <source>flagcdn.com (PNG, 320 px)</source>
        <translation>flagcdn.com（PNG，320 像素）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="45" />
        <source>flagcdn.com (SVG)</source>
        <translation>flagcdn.com（SVG）</translation>
    </message>
</context>
<context>
    <name>SourcesDialog</name>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="97" />
        <location filename="../../flaggui/ui/sources.py" line="100" />
        <source>Flag sources</source>
        <translation>国旗来源</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="105" />
        <source>e.g. My mirror</source>
        <translation>例如：我的镜像</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="109" />
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="110" />
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="112" />
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="113" />
        <source>URL template:</source>
        <translation>网址模板：</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/sources.py" line="116" />
        <source>{base} is the server URL, {cc} the country code in lower case ({CC} in upper case); the extension (.gif, .png, .svg) is the format.</source>
        <translation>{base} 是服务器网址，{cc} 是小写的国家代码（{CC} 为大写）；扩展名（.gif、.png、.svg）决定图像格式。</translation>
    </message>
</context>
<context>
    <name>ThemeMenu</name>
    <message>
        <location filename="../../flaggui/ui/theme.py" line="202" />
        <source>T&amp;heme</source>
        <translation>主题(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/theme.py" line="206" />
        <source>&amp;System</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/theme.py" line="207" />
        <source>&amp;Light</source>
        <translation>浅色(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/theme.py" line="208" />
        <source>&amp;Dark</source>
        <translation>深色(&amp;D)</translation>
    </message>
</context>
<context>
    <name>ThumbnailCache</name>
    <message>
        <location filename="../../flaggui/ui/thumbnail_cache.py" line="154" />
        <source>the file is not a readable image</source>
        <translation>此文件不是可读取的图像</translation>
    </message>
</context>
<context>
    <name>TileState</name>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="85" />
        <source>saved</source>
        <translation>已保存</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="86" />
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="87" />
        <source>downloading</source>
        <translation>下载中</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="88" />
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="89" />
        <source>already saved</source>
        <translation>已存在</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="90" />
        <source>not found</source>
        <translation>未找到</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="91" />
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/flag_model.py" line="92" />
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
</context>
<context>
    <name>TimelineCanvas</name>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="121" />
        <source>Timeline of the requests</source>
        <translation>请求时间线</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="242" />
        <source>{code} — {segment}, attempt {attempt}
{start:.3f} s → {end:.3f} s ({ms:.0f} ms)</source>
        <translation>{code}——{segment}，第 {attempt} 次尝试
{start:.3f} 秒 → {end:.3f} 秒（{ms:.0f} 毫秒）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="252" />
        <source>this attempt failed</source>
        <translation>本次尝试失败</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="255" />
        <source>ended: {state}</source>
        <translation>结果：{state}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="321" />
        <source>No requests yet.</source>
        <translation>还没有请求。</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="323" />
        <source>Requests: {count}, in {duration:.2f} s</source>
        <translation>请求：{count} 个，用时 {duration:.2f} 秒</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="326" />
        <source>at most {peak} in flight at once (limit {limit})</source>
        <translation>最多同时进行 {peak} 个（上限 {limit}）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="330" />
        <source>slowest: {code}, {seconds:.2f} s</source>
        <translation>最慢：{code}，{seconds:.2f} 秒</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="333" />
        <source>failed: {failed}, retried: {retried}</source>
        <translation>失败：{failed}，重试：{retried}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="344" />
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="351" />
        <source>{segment} {start:.3f} to {end:.3f} s</source>
        <translation>{segment} {start:.3f} 至 {end:.3f} 秒</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="355" />
        <source>{step}, failed</source>
        <translation>{step}，失败</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="361" />
        <source>attempt {attempt}: {steps}</source>
        <translation>第 {attempt} 次尝试：{steps}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="364" />
        <source>{code}: {ending}. {steps}</source>
        <translation>{code}：{ending}。{steps}</translation>
    </message>
</context>
<context>
    <name>TimelineHeader</name>
    <message>
        <location filename="../../flaggui/ui/timeline_header.py" line="61" />
        <source>Requests in flight</source>
        <translation>进行中的请求</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_header.py" line="115" />
        <source>in flight (peak {peak}, adaptive limit now {now} of {limit})</source>
        <translation>进行中（峰值 {peak}，自适应上限当前 {now}，最多 {limit}）</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_header.py" line="118" />
        <source>in flight (peak {peak}, limit {limit})</source>
        <translation>进行中的请求（峰值 {peak}，上限 {limit}）</translation>
    </message>
</context>
<context>
    <name>TimelinePanel</name>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="61" />
        <source>waiting for a slot</source>
        <translation>等待空位</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="62" />
        <source>pause before a retry</source>
        <translation>重试前暂停</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="64" />
        <source>waiting for the server</source>
        <translation>等待服务器</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="65" />
        <source>receiving</source>
        <translation>接收</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="66" />
        <source>saving</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="372" />
        <source>grey: {segment}</source>
        <translation>灰色：{segment}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="373" />
        <source>purple: {segment}</source>
        <translation>紫色：{segment}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="374" />
        <source>yellow: {segment}</source>
        <translation>黄色：{segment}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="375" />
        <source>blue: {segment}</source>
        <translation>蓝色：{segment}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="376" />
        <source>green: {segment}</source>
        <translation>绿色：{segment}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="387" />
        <source>failed attempt</source>
        <translation>失败的尝试</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="389" />
        <source>red outline: {segment}</source>
        <translation>红色边框：{segment}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="416" />
        <source>Export {kind}…</source>
        <translation>导出 {kind}…</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/timeline_view.py" line="423" />
        <source>Export the timeline</source>
        <translation>导出时间线</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../flaggui/ui/errors.py" line="35" />
        <source>Something went wrong: {error}</source>
        <translation>出错了：{error}</translation>
    </message>
    <message>
        <location filename="../../flaggui/ui/errors.py" line="40" />
        <source>flaggui keeps running. The details are below.</source>
        <translation>flaggui 仍在运行。详情如下。</translation>
    </message>
</context>
</TS>