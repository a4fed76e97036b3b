"""The command line's help, in Vietnamese, or in English when the locale is English."""

import os

Texts = dict[str, str]

VI: Texts = {
    "usage": "cách dùng: ",
    "commands": "lệnh",
    "arguments": "tham số",
    "command": "LỆNH",
    "file": "TỆP",
    "code": "MÃ",
    "number": "SỐ",
    "help": "hiện trợ giúp này rồi thoát",
    "more": "Xem thêm: {prog} <lệnh> --help",
    "error": "{prog}: {message} (xem: {prog} --help)",
    "required": "thiếu {names}",
    "choice": "{name}: không có {value} (chọn một trong: {choices})",
    "expected_one": "{name}: cần một giá trị",
    "argument": "{name}: {message}",
    "unrecognized": "không hiểu: {names}",
    "not_int": "{value} không phải số nguyên",
    "between": "phải từ {low} đến {high}",
    "no_file": "không có tệp '{path}'",
    "not_a_file": "'{path}' không phải là tệp",
    "thidua": (
        "Trợ lý báo cáo thi đua: chạy bot, nạp đợt thi đua, quản lý đơn vị và mã mời.\n"
        "Cấu hình bằng biến môi trường hoặc tệp .env (xem .env.example);"
        " LOG_LEVEL=DEBUG để xem chi tiết khi có lỗi."
    ),
    "thidua_examples": (
        "Ví dụ:\n"
        "  thidua run\n"
        "  thidua campaign load campaigns/lao-cai-2025.yaml\n"
        "  thidua units list | grep -i 'y ty'\n"
        "  thidua units import don-vi.xlsx\n"
        "  thidua invite create --unit xa-y-ty --role reporter --count 20"
    ),
    "run": "chạy bot: Telegram, Zalo nếu có token; không có token thì trò chuyện thử ngay tại đây",
    "run_about": (
        "Chạy bot trên các kênh đã cấu hình (TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN), bằng long\n"
        "polling, hoặc webhook khi có WEBHOOK_BASE_URL. Không có token thì mở cuộc trò chuyện\n"
        "thử trên máy này; thoát bằng /thoat, Ctrl-D hoặc Ctrl-C."
    ),
    "run_examples": (
        "Ví dụ:\n"
        "  thidua run\n"
        "  THIDUA_CLOCK=2025-11-03T08:00 thidua run    # đồng hồ thử bắt đầu lúc này\n"
        "  LOG_LEVEL=DEBUG thidua run"
    ),
    "campaign": "đợt thi đua",
    "campaign_examples": "Ví dụ:\n  thidua campaign load campaigns/lao-cai-2025.yaml",
    "campaign_load": "nạp hoặc cập nhật đợt thi đua từ tệp YAML",
    "campaign_load_about": (
        "Nạp hoặc cập nhật đợt thi đua theo mã. Lỗi trong tệp được báo theo dòng và trường,\n"
        "mã đơn vị báo cáo phải có trong danh sách đơn vị; có lỗi thì không nạp gì. In ra\n"
        "chỉ tiêu mới và những gì đã đổi. Bot đang chạy cần khởi động lại để dùng bản mới."
    ),
    "campaign_load_examples": "Ví dụ:\n  thidua campaign load campaigns/lao-cai-2025.yaml",
    "campaign_path": "tệp YAML của đợt thi đua",
    "units": "đơn vị thi đua",
    "units_examples": "Ví dụ:\n  thidua units list\n  thidua units import don-vi.xlsx",
    "units_list": "in các đơn vị, mỗi dòng một đơn vị: mã, loại, khối/cụm, tên",
    "units_list_about": "In các đơn vị, mỗi dòng một đơn vị, các cột cách nhau bằng tab.",
    "units_list_examples": "Ví dụ:\n  thidua units list | grep -i 'sa pa'\n  thidua units list > don-vi.tsv",
    "units_import": "nhập đơn vị từ tệp CSV hoặc XLSX",
    "units_import_about": (
        "Nhập hoặc cập nhật đơn vị theo mã, với khối/cụm và chỉ tiêu giao cho từng đơn vị.\n"
        "Cột: mã, loại, tên, khối/cụm, chỉ tiêu:<mã chỉ tiêu>. Tệp có lỗi thì không nhập gì\n"
        "và lỗi được báo theo số dòng.\n"
        "Khối/cụm được nhận theo tên, không kể dấu và chữ hoa, và không bị đổi tên. Tên khác\n"
        "hẳn các khối/cụm đã có là khối/cụm mới (được in ra); tên gần giống một khối/cụm đã\n"
        "có bị coi là gõ nhầm, trừ khi ghi thêm '(mới)' sau tên."
    ),
    "units_import_examples": (
        "Ví dụ:\n"
        "  thidua units import don-vi.xlsx\n"
        "  thidua units import don-vi.csv\n"
        "Tệp CSV:\n"
        "  mã,loại,tên,khối/cụm,chỉ tiêu:state_budget_revenue\n"
        '  xa-y-ty,xã,Xã Y Tý,Cụm các xã Bát Xát,"120,5"\n'
        "  ,phường,Phường Mới,Cụm các phường 2 (mới),"
    ),
    "units_path": "tệp CSV (UTF-8) hoặc XLSX",
    "invite": "mã mời",
    "invite_examples": "Ví dụ:\n  thidua invite create --unit xa-y-ty --role reporter --count 20",
    "invite_create": "tạo mã mời, in mỗi mã một dòng",
    "invite_create_about": (
        "Tạo mã mời cho một đơn vị; mỗi mã dùng được một lần. Mã in ra stdout, mỗi mã một\n"
        "dòng; dòng tóm tắt (đơn vị, vai trò, hạn) in ra stderr."
    ),
    "invite_create_examples": (
        "Ví dụ:\n"
        "  thidua invite create --unit xa-y-ty --role reporter\n"
        "  thidua invite create --unit so-noi-vu --role admin --days 3\n"
        "  thidua invite create --unit xa-y-ty --role reporter --count 20 > ma-moi.txt"
    ),
    "unit": "mã đơn vị (xem: thidua units list)",
    "role": (
        "vai trò: reporter (cán bộ báo cáo), head (lãnh đạo đơn vị), admin (quản trị),"
        " viewer (người theo dõi)"
    ),
    "count": "số mã, từ 1 đến 1000 (mặc định 1)",
    "days": "số ngày hiệu lực, từ 1 đến 90 (mặc định 14)",
    "period": "kỳ báo cáo",
    "period_examples": "Ví dụ:\n  thidua period reopen --unit xa-y-ty --period 2025-09 --days 7",
    "period_reopen": "mở lại một kỳ đã khóa sổ cho một đơn vị",
    "period_reopen_about": (
        "Mở lại một kỳ đã khóa sổ cho một đơn vị: bot nhận số liệu kỳ đó của đơn vị đến hết\n"
        "ngày hôm nay cộng số ngày cho phép (mở lại lần nữa thì thay hạn cũ)."
    ),
    "period_reopen_examples": (
        "Ví dụ:\n"
        "  thidua period reopen --unit xa-y-ty --period 2025-09\n"
        "  thidua period reopen --unit so-tai-chinh --period 2025-10 --days 3"
    ),
    "period_code": "mã kỳ: tháng 2025-09, quý 2025-Q3, tuần 2025-W38",
    "reopen_days": "số ngày mở lại, từ 1 đến 60 (mặc định 7)",
    "late": "in các đơn vị nộp muộn, theo khối và cụm",
    "late_about": (
        "In các đơn vị còn thiếu số liệu của kỳ đã quá hạn nộp, theo khối và cụm thi đua, mỗi\n"
        "đơn vị một dòng: mã, tên, số chỉ tiêu còn thiếu. Không có --period: mọi kỳ đã quá\n"
        "hạn mà chưa khóa sổ."
    ),
    "late_examples": "Ví dụ:\n  thidua late\n  thidua late --period 2025-09",
    "broadcast": "gửi thông báo của phong trào, in số người nhận và số thông báo",
    "broadcast_about": (
        "Lưu một thông báo; bot đang chạy gửi nó khi đến giờ, mỗi người nhận đúng một lần,\n"
        "rồi báo kết quả. In ra số thông báo và số người nhận."
    ),
    "broadcast_examples": (
        "Ví dụ:\n"
        '  thidua broadcast --text-file tb.txt --to block:"Khối kinh tế"\n'
        "  thidua broadcast --text-file tb.txt --to everyone --at 2025-11-15T08:00\n"
        "  thidua broadcast --text-file tb.txt --to units:so-tai-chinh,so-y-te"
    ),
    "text_file": "tệp văn bản (UTF-8) chứa nội dung thông báo",
    "audience": "NHÓM",
    "to": (
        "người nhận: everyone, block:TÊN, cluster:TÊN, kind:commune|ward|department|agency|"
        "enterprise, role:reporter|head|admin|viewer, units:MÃ,MÃ"
    ),
    "at": "giờ gửi (giờ của phong trào nếu không ghi múi giờ); mặc định: ngay",
    "db": "cơ sở dữ liệu: nâng cấp, kiểm tra phiên bản",
    "db_examples": "Ví dụ:\n  thidua db check\n  thidua db upgrade",
    "db_upgrade": "nâng cơ sở dữ liệu lên phiên bản mới nhất (chạy các migration còn thiếu)",
    "db_upgrade_about": (
        "Chạy các migration còn thiếu. Trên PostgreSQL bot không tự nâng khi khởi động:\n"
        "chạy lệnh này một lần trước khi khởi động các tiến trình bot của bản mới.\n"
        "Tệp SQLite vẫn được tự nâng khi khởi động."
    ),
    "db_check": "cho biết cơ sở dữ liệu đã ở phiên bản mới nhất chưa (mã thoát 1 nếu chưa)",
    "db_check_about": (
        "In phiên bản của cơ sở dữ liệu và phiên bản mã cần. Mã thoát 0 nếu đã mới nhất,\n"
        "1 nếu còn migration chưa chạy (khi đó chạy thidua db upgrade)."
    ),
    "export": "xuất dữ liệu thi đua ra tệp Excel (XLSX)",
    "export_about": (
        "Ghi tệp Excel gồm: trang Báo cáo (mỗi lần gửi một dòng, kể cả các lần sửa với lý do,\n"
        "đúng hạn hay muộn, trạng thái duyệt) và trang Đầy đủ, đúng hạn (theo đơn vị và kỳ).\n"
        "Số ghi dạng số, dòng tiêu đề cố định và có bộ lọc. Mặc định mọi kỳ đến nay."
    ),
    "export_examples": (
        "Ví dụ:\n"
        "  thidua export\n"
        "  thidua export --out bao-cao.xlsx\n"
        "  thidua export --period 2025-09 --out thang-9.xlsx"
    ),
    "out": "tệp sẽ ghi; mặc định thidua-<ngày>.xlsx (hoặc thidua-<kỳ>.xlsx) ở thư mục hiện tại",
    "export_period": "chỉ xuất một kỳ, ví dụ 2025-09; mặc định: mọi kỳ đến nay",
    "commendations": "in các đơn vị đề xuất khen thưởng, kèm minh chứng",
    "commendations_about": (
        "In các đơn vị đạt điều kiện khen thưởng ghi trong tệp đợt thi đua (mục commendations),\n"
        "theo hình thức (Cờ thi đua, Bằng khen, Giấy khen), mỗi đơn vị một dòng với minh chứng:\n"
        "điểm, hạng trong khối/cụm, chỉ tiêu đạt, tỷ lệ đúng hạn, đầy đủ, số liệu đã duyệt,\n"
        "gương điển hình đã duyệt; rồi các đơn vị hoàn thành toàn diện nhiệm vụ thu ngân sách.\n"
        "--out ghi thêm bảng đó ra tệp Excel (XLSX)."
    ),
    "commendations_examples": (
        "Ví dụ:\n  thidua commendations\n  thidua commendations --out de-xuat-khen-thuong.xlsx"
    ),
    "commend_out": "tệp XLSX để ghi bảng đề xuất",
}

EN: Texts = {
    "usage": "usage: ",
    "commands": "commands",
    "arguments": "arguments",
    "command": "COMMAND",
    "file": "FILE",
    "code": "CODE",
    "number": "N",
    "help": "show this help and exit",
    "more": "More: {prog} <command> --help",
    "error": "{prog}: {message} (see: {prog} --help)",
    "required": "{names} missing",
    "choice": "{name}: no {value} (choose one of: {choices})",
    "expected_one": "{name}: needs a value",
    "argument": "{name}: {message}",
    "unrecognized": "not understood: {names}",
    "not_int": "{value} is not a whole number",
    "between": "must be from {low} to {high}",
    "no_file": "no file '{path}'",
    "not_a_file": "'{path}' is not a file",
    "thidua": (
        "Campaign reporting assistant: run the bot, load a campaign, manage units and invites.\n"
        "Settings come from the environment or a .env file (see .env.example);"
        " LOG_LEVEL=DEBUG shows details of an error."
    ),
    "thidua_examples": (
        "Examples:\n"
        "  thidua run\n"
        "  thidua campaign load campaigns/lao-cai-2025.yaml\n"
        "  thidua units list | grep -i 'y ty'\n"
        "  thidua units import units.xlsx\n"
        "  thidua invite create --unit xa-y-ty --role reporter --count 20"
    ),
    "run": "run the bot: Telegram, Zalo with a token; without one, a trial chat right here",
    "run_about": (
        "Run the bot on the configured channels (TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN), by long\n"
        "polling, or by webhooks when WEBHOOK_BASE_URL is set. Without a token, open a trial\n"
        "chat on this machine; leave with /quit, Ctrl-D or Ctrl-C."
    ),
    "run_examples": (
        "Examples:\n"
        "  thidua run\n"
        "  THIDUA_CLOCK=2025-11-03T08:00 thidua run    # the trial clock starts then\n"
        "  LOG_LEVEL=DEBUG thidua run"
    ),
    "campaign": "the campaign",
    "campaign_examples": "Example:\n  thidua campaign load campaigns/lao-cai-2025.yaml",
    "campaign_load": "load or update a campaign from a YAML file",
    "campaign_load_about": (
        "Load or update a campaign by its code. Errors in the file are named by line and\n"
        "field, and reporting unit codes must be in the units list; with any error nothing is\n"
        "loaded. Prints new indicators and what changed. Restart a running bot to use it."
    ),
    "campaign_load_examples": "Example:\n  thidua campaign load campaigns/lao-cai-2025.yaml",
    "campaign_path": "the campaign's YAML file",
    "units": "the campaign's units",
    "units_examples": "Examples:\n  thidua units list\n  thidua units import units.xlsx",
    "units_list": "print the units, one a line: code, kind, block or cluster, name",
    "units_list_about": "Print the units, one a line, columns separated by tabs.",
    "units_list_examples": "Examples:\n  thidua units list | grep -i 'sa pa'\n  thidua units list > units.tsv",
    "units_import": "import units from a CSV or XLSX file",
    "units_import_about": (
        "Import or update units by code, with their block or cluster and unit targets.\n"
        "Columns: code, kind, name, group, target:<indicator code>. A file with errors imports\n"
        "nothing, and the errors are named by row number.\n"
        "Blocks and clusters are matched by name, whatever the diacritics and case, and never\n"
        "renamed. A name unlike every existing one is a new block or cluster (printed); a name\n"
        "close to an existing one is taken for a typo unless followed by '(mới)'."
    ),
    "units_import_examples": (
        "Examples:\n"
        "  thidua units import units.xlsx\n"
        "  thidua units import units.csv\n"
        "A CSV file:\n"
        "  code,kind,name,group,target:state_budget_revenue\n"
        '  xa-y-ty,xã,Xã Y Tý,Cụm các xã Bát Xát,"120,5"\n'
        "  ,phường,Phường Mới,Cụm các phường 2 (mới),"
    ),
    "units_path": "a CSV (UTF-8) or XLSX file",
    "invite": "invite codes",
    "invite_examples": "Example:\n  thidua invite create --unit xa-y-ty --role reporter --count 20",
    "invite_create": "create invite codes, printed one a line",
    "invite_create_about": (
        "Create invite codes for a unit; each code works once. The codes go to stdout, one a\n"
        "line; a summary line (unit, role, expiry) goes to stderr."
    ),
    "invite_create_examples": (
        "Examples:\n"
        "  thidua invite create --unit xa-y-ty --role reporter\n"
        "  thidua invite create --unit so-noi-vu --role admin --days 3\n"
        "  thidua invite create --unit xa-y-ty --role reporter --count 20 > codes.txt"
    ),
    "unit": "the unit's code (see: thidua units list)",
    "role": "role: reporter, head (unit head), admin, viewer",
    "count": "how many codes, 1 to 1000 (default 1)",
    "days": "days before the codes expire, 1 to 90 (default 14)",
    "period": "reporting periods",
    "period_examples": "Example:\n  thidua period reopen --unit xa-y-ty --period 2025-09 --days 7",
    "period_reopen": "reopen a locked period for one unit",
    "period_reopen_about": (
        "Reopen a locked period for one unit: the bot takes the unit's figures for it until\n"
        "the end of today plus the days given (reopening again replaces the earlier date)."
    ),
    "period_reopen_examples": (
        "Examples:\n"
        "  thidua period reopen --unit xa-y-ty --period 2025-09\n"
        "  thidua period reopen --unit so-tai-chinh --period 2025-10 --days 3"
    ),
    "period_code": "the period's code: month 2025-09, quarter 2025-Q3, week 2025-W38",
    "reopen_days": "days to reopen it for, 1 to 60 (default 7)",
    "late": "print the late units, by block and cluster",
    "late_about": (
        "Print the units missing figures of a period past its deadline, by emulation block and\n"
        "cluster, one unit a line: code, name, indicators missing. Without --period: every\n"
        "period past its deadline and not yet locked."
    ),
    "late_examples": "Examples:\n  thidua late\n  thidua late --period 2025-09",
    "broadcast": "send a campaign update; prints its number and how many will get it",
    "broadcast_about": (
        "Store a campaign update; the running bot sends it when it is due, once to each\n"
        "recipient, then reports. Prints the update's number and the recipients count."
    ),
    "broadcast_examples": (
        "Examples:\n"
        '  thidua broadcast --text-file update.txt --to block:"Khối kinh tế"\n'
        "  thidua broadcast --text-file update.txt --to everyone --at 2025-11-15T08:00\n"
        "  thidua broadcast --text-file update.txt --to units:so-tai-chinh,so-y-te"
    ),
    "text_file": "a text file (UTF-8) holding the update",
    "audience": "AUDIENCE",
    "to": (
        "recipients: everyone, block:NAME, cluster:NAME, kind:commune|ward|department|agency|"
        "enterprise, role:reporter|head|admin|viewer, units:CODE,CODE"
    ),
    "at": "when to send (the campaign's time unless an offset is given); default: now",
    "db": "the database: upgrade, check its version",
    "db_examples": "Examples:\n  thidua db check\n  thidua db upgrade",
    "db_upgrade": "bring the database to the newest version (run the pending migrations)",
    "db_upgrade_about": (
        "Run the pending migrations. On PostgreSQL the bot does not migrate when it starts:\n"
        "run this once before starting the bot processes of a new release. A SQLite file is\n"
        "still migrated on start."
    ),
    "db_check": "say whether the database is at the newest version (exit code 1 if not)",
    "db_check_about": (
        "Print the database's version and the one the code needs. Exit code 0 when current,\n"
        "1 when migrations are pending (then run thidua db upgrade)."
    ),
    "export": "export the campaign's data to an Excel (XLSX) file",
    "export_about": (
        "Writes an Excel file with a Reports sheet (one row a submission, revisions included\n"
        "with their reasons, on time or late, review status) and a Completeness sheet (by unit\n"
        "and period). Numbers as numbers, a frozen header row with filters. Every period so far\n"
        "by default."
    ),
    "export_examples": (
        "Examples:\n"
        "  thidua export\n"
        "  thidua export --out reports.xlsx\n"
        "  thidua export --period 2025-09 --out september.xlsx"
    ),
    "out": "the file to write; default thidua-<date>.xlsx (or thidua-<period>.xlsx) here",
    "export_period": "export one period only, e.g. 2025-09; default: every period so far",
    "commendations": "print the commendation candidates with their evidence",
    "commendations_about": (
        "Print the units meeting the campaign file's conditions for commendation\n"
        "(commendations), by form, one a line with the evidence: score, rank in the block or\n"
        "cluster, targets met, on-time and complete reports, approved figures and approved\n"
        "stories; then the units that fully met the budget revenue task. --out also writes\n"
        "the table to an Excel file (XLSX)."
    ),
    "commendations_examples": (
        "Examples:\n  thidua commendations\n  thidua commendations --out candidates.xlsx"
    ),
    "commend_out": "an XLSX file to write the table to",
}


def cli_texts() -> Texts:
    """English when the locale says so (LC_ALL, then LC_MESSAGES, then LANG), else Vietnamese."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return EN if value.lower().startswith("en") else VI
    return VI
