<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>BatchProgressBar</name>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="111" />
        <source>%n saved</source>
        <translation><numerusform>%n saved</numerusform><numerusform>%n saved</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="112" />
        <source>%n already saved</source>
        <translation><numerusform>%n already saved</numerusform><numerusform>%n already saved</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="113" />
        <source>%n not found</source>
        <translation><numerusform>%n not found</numerusform><numerusform>%n not found</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="114" />
        <source>%n failed</source>
        <translation><numerusform>%n failed</numerusform><numerusform>%n failed</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="115" />
        <source>%n cancelled</source>
        <translation><numerusform>%n cancelled</numerusform><numerusform>%n cancelled</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="144" />
        <source>%n of {total} saved</source>
        <translation><numerusform>%n of {total} saved</numerusform><numerusform>%n of {total} saved</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="164" />
        <source>about %n s left</source>
        <translation><numerusform>about %n s left</numerusform><numerusform>about %n s left</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/batch_progress.py" line="166" />
        <source>about %n min left</source>
        <translation><numerusform>about %n min left</numerusform><numerusform>about %n min left</numerusform></translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="63" />
        <source>Downloading %n flags one at a time, then {limit} at a time…</source>
        <translation><numerusform>Downloading %n flag twice: one at a time, then {limit} at a time…</numerusform><numerusform>Downloading %n flags one at a time, then {limit} at a time…</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="141" />
        <source>%n flags: {sequential:.2f} s one at a time, {concurrent:.2f} s concurrently — {speedup:.1f}× faster</source>
        <translation><numerusform>%n flag: {sequential:.2f} s one at a time, {concurrent:.2f} s concurrently — {speedup:.1f}× faster</numerusform><numerusform>%n flags: {sequential:.2f} s one at a time, {concurrent:.2f} s concurrently — {speedup:.1f}× faster</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="213" />
        <source>One at a time, each request waits for the one before it: %n × {each:.2f} s.</source>
        <translation><numerusform>On its own, the one request takes {each:.2f} s.</numerusform><numerusform>One at a time, each request waits for the one before it: %n × {each:.2f} s.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/compare.py" line="219" />
        <source>Concurrently, all %n wait together: about as long as the slowest one ({slowest:.2f} s).</source>
        <translation><numerusform>Concurrently, it takes just as long ({slowest:.2f} s): there is nothing to overlap.</numerusform><numerusform>Concurrently, all %n wait together: about as long as the slowest one ({slowest:.2f} s).</numerusform></translation>
    </message>
</context>
<context>
    <name>FlagActions</name>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="221" />
        <source>Copied %n flags</source>
        <translation><numerusform>Copied %n flag</numerusform><numerusform>Copied %n flags</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="227" />
        <source>Copied %n paths</source>
        <translation><numerusform>Copied %n path</numerusform><numerusform>Copied %n paths</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="242" />
        <source>Move %n flag files to the trash?</source>
        <translation><numerusform>Move %n flag file to the trash?</numerusform><numerusform>Move %n flag files to the trash?</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/flag_actions.py" line="272" />
        <source>Moved %n flag files to the trash</source>
        <translation><numerusform>Moved %n flag file to the trash</numerusform><numerusform>Moved %n flag files to the trash</numerusform></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <location filename="../../flaggui/ui/main_window.py" line="339" />
        <source>%n flags did not arrive last time, from {server}.</source>
        <translation><numerusform>%n flag did not arrive last time, from {server}.</numerusform><numerusform>%n flags did not arrive last time, from {server}.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/main_window.py" line="342" />
        <source>%n flags did not arrive last time.</source>
        <translation><numerusform>%n flag did not arrive last time.</numerusform><numerusform>%n flags did not arrive last time.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../../flaggui/ui/main_window.py" line="428" />
        <location filename="../../flaggui/ui/smoke.py" line="108" />
        <source>Downloading %n flags…</source>
        <translation><numerusform>Downloading %n flag…</numerusform><numerusform>Downloading %n flags…</numerusform></translation>
    </message>
</context>
</TS>