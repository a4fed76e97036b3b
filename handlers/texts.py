"""Every sentence the bot says, in Vietnamese and English."""

from typing import Any

_TEXTS: dict[str, tuple[str, str]] = {
    # Strangers and invites
    "intro": (
        "Xin chào! Đây là trợ lý báo cáo của “{campaign}” ({issuer}). "
        "Đầu mối các đơn vị được mời dùng bot để gửi số liệu các chỉ tiêu được giao; "
        "mỗi lần gửi, bot cho biết số của đơn vị so với chỉ tiêu.\n"
        "Để bắt đầu, hãy xin mã mời từ Sở Nội vụ rồi gửi mã vào đây, ví dụ: K7M3-QX9P",
        "Hello! This is the reporting assistant of “{campaign}” ({issuer}). "
        "Units' focal points who are invited use it to send the figures of the indicators "
        "assigned to them; with each report it shows the unit's figure against its target.\n"
        "To begin, ask Sở Nội vụ for an invite code and send it here, e.g. K7M3-QX9P",
    ),
    "invite_wrong": (
        "Mã mời {code} không đúng. Hãy kiểm tra lại: mã gồm 8 chữ và số, ví dụ K7M3-QX9P.",
        "The invite code {code} is not right. Please check it: 8 letters and digits, e.g. K7M3-QX9P.",
    ),
    "invite_used": (
        "Mã mời này đã được dùng. Mỗi mã chỉ dùng một lần; hãy xin mã mới.",
        "This invite code has already been used. Each code works once; please ask for a new one.",
    ),
    "invite_expired": (
        "Mã mời này đã hết hạn ngày {date}. Hãy xin mã mới từ Sở Nội vụ.",
        "This invite code expired on {date}. Please ask Sở Nội vụ for a new one.",
    ),
    "join_wait": (
        "Bạn đã nhập sai mã nhiều lần. Vui lòng chờ {minutes} phút rồi thử lại.",
        "Too many wrong codes. Please wait {minutes} minutes and try again.",
    ),
    "invite_guessing_notice": (
        "⚠️ Có dấu hiệu dò mã mời: {codes} mã sai từ {accounts} tài khoản trong {seconds} giây "
        "lúc {time}. Đến {until}, mỗi tài khoản chỉ được thử {tries} mã sai mỗi {minutes} phút; mã đúng "
        "vẫn dùng được. Nên thu hồi và cấp lại các mã mời chưa dùng nếu nghi bị lộ.",
        "⚠️ Invite codes are being guessed: {codes} wrong codes from {accounts} accounts in "
        "{seconds} seconds at {time}. Until {until}, each account gets {tries} wrong code per "
        "{minutes} minutes; right codes still work. Consider replacing unused codes if they may have leaked.",
    ),
    "join_wait_guarded": (
        "Lúc này bot nhận quá nhiều mã mời sai, nên sau một mã sai mỗi tài khoản cần chờ "
        "{minutes} phút mới được thử lại. Vui lòng kiểm tra kỹ mã rồi gửi lại sau.",
        "The bot is receiving too many wrong invite codes right now, so after a wrong code "
        "each account must wait {minutes} minutes before trying again. Please check your code "
        "and send it again then.",
    ),
    "joined": (
        "Chào mừng bạn! Bạn đã tham gia với vai trò {role} của {unit}.",
        "Welcome! You have joined as {role} of {unit}.",
    ),
    "already_joined": (
        "Bạn đã tham gia rồi: {role} của {unit}.",
        "You have already joined: {role} of {unit}.",
    ),
    "role_reporter": ("cán bộ báo cáo", "reporter"),
    "role_head": ("lãnh đạo đơn vị", "unit head"),
    "role_admin": ("quản trị", "administrator"),
    "role_viewer": ("người theo dõi", "viewer"),
    "group_block": ("Khối thi đua", "Emulation block"),
    "group_cluster": ("Cụm thi đua", "Emulation cluster"),
    # Menu and help
    "menu": ("Bạn muốn làm gì?", "What would you like to do?"),
    "menu_report": ("📝 Báo cáo số liệu", "📝 Report figures"),
    "menu_me": ("👤 Thông tin của tôi", "👤 My details"),
    "menu_help": ("❓ Hướng dẫn", "❓ Help"),
    "help": (
        "Các lệnh:\n/baocao – báo cáo số liệu chỉ tiêu (gõ nhiều số một lần cũng được: "
        "ngân sách 15.200 tỷ; ct 17 45)\n/han – đơn vị còn thiếu gì, hạn nộp\n"
        "/xephang – điểm, hạng và tiến độ của đơn vị (người theo dõi, quản trị: /xephang tên đơn vị bất kỳ)\n/bangxephang – bảng xếp hạng khối, cụm\n"
        "/tiendo – tiến độ các chỉ tiêu của tỉnh\n"
        "/nopbai – nộp kế hoạch, sản phẩm của đơn vị\n/dienhinh – gương điển hình: xem, gửi\n"
        "/vang 20/10 – vắng đến ngày đó, không nhận nhắc nhở\n/toi – đơn vị và vai trò của bạn\n"
        "/lichsu 9 – lịch sử số liệu một chỉ tiêu: ai nộp, sửa, duyệt, trả lại\n"
        "/khenthuong – (quản trị) đơn vị đề xuất khen thưởng, kèm minh chứng\n"
        "/huy – thoát phiếu đang nhập\n\n"
        "Gõ số kiểu Việt Nam: dấu chấm tách hàng nghìn, dấu phẩy trước phần thập phân "
        "(1.234.567; 8,5). Số như 21.000 hay 1,500 (đúng ba chữ số sau dấu) được đọc theo cỡ "
        "của chỉ tiêu: 21.000 tỷ thu ngân sách là hai mươi mốt nghìn tỷ, 1.500 cho một tỷ lệ % "
        "là 1,5; khi cỡ số không cho biết, bot hỏi lại. Có thể viết 21 nghìn tỷ, 10,26 triệu, "
        "15.200.000.000.000 đồng, không dấu cũng được. Số liệu được lưu và hiện đủ từng chữ số "
        "bạn nhập (đã đổi ra đơn vị của chỉ tiêu); số có nhiều chữ số thập phân hơn chỉ tiêu "
        "ghi thì bot hỏi trước khi làm tròn.",
        "Commands:\n/report – report figures (several at once work too: "
        "ngân sách 15.200 tỷ; ct 17 45)\n/due – what your unit still owes, deadlines\n"
        "/standing – your unit's score, rank and progress (viewers, admins: /standing any "
        "unit's name)\n/leaderboard – your block's or "
        "cluster's table\n/progress – the province's progress on its targets\n"
        "/deliver – hand in the unit's plan or other deliverable\n/story – exemplary stories\n"
        "/away 20/10 – away until that day, no reminders\n/me – your unit and role\n"
        "/history 9 – the history of an indicator's figures: who reported, corrected, approved, returned\n"
        "/commendations – (admins) the commendation candidates with their evidence\n"
        "/cancel – leave the form you are filling in\n\n"
        "Numbers either way: 1,234,567 or 1.234.567; 8.5 or 8,5. A number such as 21,000 or "
        "1.500 (exactly three digits after the mark) is read by the indicator's size: 21,000 "
        "tỷ of budget revenue is twenty-one thousand tỷ, 1.500 for a percentage is 1.5; when "
        "size cannot tell, the bot asks. Scale words work too: 21 nghìn tỷ, 10,26 triệu, "
        "15,200,000,000,000 đồng. Figures are stored and shown with every digit you typed (in "
        "the indicator's unit); one with more decimals than the indicator keeps is asked about "
        "before it is rounded.",
    ),
    "me": (
        "👤 {name}\nĐơn vị: {unit}\nVai trò: {role}\n{group}\nĐợt thi đua: {campaign}",
        "👤 {name}\nUnit: {unit}\nRole: {role}\n{group}\nCampaign: {campaign}",
    ),
    "link_code": (
        "Dùng cả Telegram và Zalo? Gửi mã {code} cho bot trên ứng dụng kia trong 24 giờ "
        "để nối vào tài khoản này.",
        "Using both Telegram and Zalo? Send the code {code} to the bot in the other app "
        "within 24 hours to link it to this account.",
    ),
    "linked": (
        "Đã nối tài khoản này: {role} của {unit}. Từ nay bạn dùng được bot ở cả hai ứng dụng.",
        "This account is now linked: {role} of {unit}. You can use the bot in both apps.",
    ),
    "no_group": ("Chưa thuộc khối, cụm thi đua nào", "Not in an emulation block or cluster yet"),
    "unknown_command": (
        "Không có lệnh {command}. Gõ /help để xem các lệnh.",
        "There is no command {command}. Send /help to see the commands.",
    ),
    "form_hint": (
        "Bạn đang nhập báo cáo dở. Hãy trả lời câu hỏi dưới đây, hoặc gõ /huy để thoát.",
        "You are in the middle of a report. Answer the question below, or send /cancel to leave.",
    ),
    "private_only": (
        "Bot chỉ làm việc trong trò chuyện riêng với từng cán bộ. Hãy nhắn riêng cho bot.",
        "This bot only works in a private chat with each official. Please message it directly.",
    ),
    "stale_choice": (
        "Nút đó thuộc một tin nhắn cũ, không còn dùng được.",
        "That button belongs to an old message and no longer works.",
    ),
    "form_reminder": (
        "Bạn còn một phiếu báo cáo đang nhập dở. Câu hỏi đang chờ trả lời là câu dưới đây; "
        "hãy trả lời lại, hoặc gõ /huy để thoát.",
        "You have a report still open. The question waiting for your answer is below; please "
        "answer it again, or send /cancel to leave.",
    ),
    "form_expired": (
        "Phiếu báo cáo bạn bỏ dở đã quá 24 giờ nên đã được hủy; chưa có gì được lưu.",
        "The report you left unfinished was cancelled after 24 hours; nothing was stored.",
    ),
    "cancelled": (
        "Đã hủy phiếu. Không có số liệu nào được lưu.",
        "Form cancelled. Nothing was stored.",
    ),
    "nothing_to_cancel": ("Không có phiếu nào đang mở.", "There is no open form."),
    "no_campaign": (
        "Chưa có đợt thi đua nào được nạp. Hãy báo cho Sở Nội vụ.",
        "No campaign has been loaded yet. Please tell Sở Nội vụ.",
    ),
    # The report form
    "closed_before": (
        "Đợt thi đua bắt đầu nhận báo cáo từ ngày {date}.",
        "The campaign starts taking reports on {date}.",
    ),
    "closed_after": (
        "Đợt thi đua đã kết thúc ngày {date}; không còn nhận báo cáo. Cảm ơn đơn vị đã tham gia.",
        "The campaign ended on {date}; reports are closed. Thank you for taking part.",
    ),
    "viewer_cannot_report": (
        "Vai trò người theo dõi không gửi được báo cáo. Cần quyền báo cáo, hãy liên hệ Sở Nội vụ.",
        "Viewers cannot send reports. To report, please contact Sở Nội vụ.",
    ),
    "no_indicators": (
        "{unit} chưa được giao chỉ tiêu nào để báo cáo. Hãy liên hệ Sở Nội vụ.",
        "{unit} has no indicators to report. Please contact Sở Nội vụ.",
    ),
    "ask_period": (
        "Đơn vị còn thiếu số liệu của kỳ trước:\n{owed}\nBạn muốn báo cáo cho kỳ nào?",
        "Your unit still owes figures for an earlier period:\n{owed}\nWhich period do you "
        "report for?",
    ),
    "period_choice": ("{period} ({status})", "{period} ({status})"),
    "period_invalid": ("Hãy chọn một kỳ trong danh sách.", "Please choose a period from the list."),
    "period_unknown": (
        "Đợt thi đua không có kỳ báo cáo {code}.",
        "The campaign has no reporting period {code}.",
    ),
    "period_locked": (
        "Kỳ {period} đã khóa sổ từ hết ngày {date}, không nhận số liệu nữa. "
        "Cần nộp bổ sung, hãy liên hệ Sở Nội vụ để được mở lại.",
        "{period} was closed at the end of {date} and takes no more figures. "
        "To file late figures, ask Sở Nội vụ to reopen it.",
    ),
    "period_not_yet": (
        "Kỳ {period} chưa đến lúc nhận báo cáo.",
        "{period} is not taking reports yet.",
    ),
    "due_left": ("còn {days} ngày", "{days} days left"),
    "due_today": ("hạn hôm nay", "due today"),
    "due_overdue": ("quá hạn {days} ngày", "{days} days overdue"),
    "owed_none": (
        "✅ {unit} đã báo cáo đủ các chỉ tiêu của {periods}. Cảm ơn bạn!",
        "✅ {unit} has reported every indicator for {periods}. Thank you!",
    ),
    "owed_head": ("{unit} còn thiếu số liệu:", "{unit} still owes figures:"),
    "owed_period": (
        "{period} – hạn {date}, {status}: thiếu {missing}/{assigned} chỉ tiêu",
        "{period} – due {date}, {status}: {missing} of {assigned} missing",
    ),
    "report_now": ("📝 Báo cáo ngay", "📝 Report now"),
    "indicator_label": ("{name} (chỉ tiêu {number})", "{name} (indicator {number})"),
    "pick": (
        "Báo cáo {period} (hạn {deadline}). Chọn chỉ tiêu, hoặc gõ số hay tên chỉ tiêu "
        "(✅ là đã báo cáo kỳ này):",
        "Report for {period} (due {deadline}). Choose an indicator, or type its number or name "
        "(✅ already reported):",
    ),
    "pick_invalid": (
        "Hãy chọn một chỉ tiêu trong danh sách dưới đây, hoặc gõ số chỉ tiêu (ví dụ: ct 9) "
        "hay tên chỉ tiêu.",
        "Please choose an indicator from the list below, or type its number (e.g. 9) or name.",
    ),
    "pick_which": (
        "“{typed}” khớp với nhiều chỉ tiêu của đơn vị. Chọn một:",
        "“{typed}” fits several of your unit's indicators. Choose one:",
    ),
    "not_assigned": (
        "{name}: không được giao cho {unit}. Hãy chọn trong danh sách.",
        "{name}: not assigned to {unit}. Please choose from the list.",
    ),
    "ask_value": (
        "{indicator}\nNhập số liệu {period}{ytd}, đơn vị: {unit}. Ví dụ: {example}",
        "{indicator}\nEnter the figure for {period}{ytd}, in {unit}. Example: {example}",
    ),
    "ytd": (" (lũy kế từ đầu năm)", " (year to date)"),
    "ask_option": (
        "{indicator}\nChọn kết quả {period}:",
        "{indicator}\nChoose the result for {period}:",
    ),
    "option_invalid": (
        "Hãy chọn một kết quả trong danh sách.",
        "Please choose one of the results listed.",
    ),
    "already_reported": (
        "Kỳ này đã báo cáo {value} lúc {time}. Số mới sẽ là bản sửa; bản cũ vẫn được lưu.",
        "Already reported this period: {value} at {time}. A new figure makes a revision; "
        "the earlier one is kept.",
    ),
    "figure_empty": (
        "Chưa nhập gì. Hãy gõ một con số, ví dụ 8,5 hoặc 21.000.",
        "Nothing typed. Please type a number, e.g. 8.5 or 21,000.",
    ),
    "figure_too_long": (
        "Tin nhắn quá dài. Chỉ cần gõ một con số, ví dụ 21.000.",
        "That message is too long. Just type one number, e.g. 21,000.",
    ),
    "figure_no_number": (
        "Chưa thấy con số nào. Hãy gõ một số, ví dụ 8,5 hoặc 21.000.",
        "No number found. Please type one, e.g. 8.5 or 21,000.",
    ),
    "figure_several_numbers": (
        "Có nhiều hơn một con số. Hãy gõ đúng một số cho chỉ tiêu này.",
        "There is more than one number. Please type exactly one figure.",
    ),
    "figure_bad_format": (
        "Không đọc được số này. Gõ dấu chấm ngăn hàng nghìn, dấu phẩy cho phần thập phân: 1.250,5.",
        "That number could not be read. Use commas for thousands and a dot for decimals: 1,250.5.",
    ),
    "changed_meanwhile": (
        "Trong lúc bạn nhập, đơn vị vừa có số mới cho chỉ tiêu này: {value} lúc {time}. "
        "Số của bạn sẽ là bản sửa của số đó.",
        "While you were typing, your unit stored a new figure for this indicator: {value} at "
        "{time}. Yours will be a correction of it.",
    ),
    "error": (
        "Xin lỗi, bot vừa gặp lỗi và chưa lưu gì từ tin nhắn này. Vui lòng gửi lại.",
        "Sorry, something went wrong and nothing from that message was stored. Please send it again.",
    ),
    "form_outdated": (
        "Đợt thi đua vừa được cập nhật nên phiếu đang nhập dở không còn dùng được; chưa có gì được "
        "lưu. Hãy bắt đầu lại bằng /baocao.",
        "The campaign was updated, so your unfinished form no longer fits; nothing was stored. "
        "Please start again with /report.",
    ),
    "link_other_app": (
        "Mã này để nối tài khoản ở ứng dụng khác (Telegram hoặc Zalo), không dùng được ở đây.",
        "This code links an account in the other app (Telegram or Zalo); it cannot be used here.",
    ),
    "figure_percent_not_allowed": (
        "Chỉ tiêu này tính bằng {unit}, không phải %. Hãy nhập số tuyệt đối, ví dụ {example}.",
        "This indicator is counted in {unit}, not %. Please enter the figure itself, e.g. {example}.",
    ),
    "figure_currency_mismatch": (
        "Chỉ tiêu này tính bằng {unit}. Hãy nhập theo {unit}.",
        "This indicator is counted in {unit}. Please enter it in {unit}.",
    ),
    "figure_too_large": (
        "Số này quá lớn, không lưu được: đổi ra {unit} thì phần nguyên dài hơn {digits} chữ số. "
        "Hãy kiểm tra lại số và đơn vị, ví dụ {example}.",
        "That number is too large to store: in {unit} it has more than {digits} digits before "
        "the decimal point. Please check the number and its unit, e.g. {example}.",
    ),
    "figure_too_precise": (
        "Số này đổi ra {unit} có hơn {decimals} chữ số thập phân, không lưu chính xác được. "
        "Hãy kiểm tra lại số và đơn vị, ví dụ {example}.",
        "In {unit} that number has more than {decimals} decimal places and cannot be stored "
        "exactly. Please check the number and its unit, e.g. {example}.",
    ),
    "ask_ambiguous": (
        "“{typed}” là {first} hay {second}? Chọn số đúng, hoặc gõ lại cho rõ.",
        "Does “{typed}” mean {first} or {second}? Choose, or type it again.",
    ),
    "doubt": (
        "{value} có vẻ bất thường: {reasons}. Bạn có chắc không?",
        "{value} looks unusual: {reasons}. Are you sure?",
    ),
    "doubt_negative": ("là số âm", "it is negative"),
    "doubt_below_minimum": ("nhỏ hơn {minimum}", "below {minimum}"),
    "doubt_above_maximum": ("lớn hơn {maximum}", "above {maximum}"),
    "doubt_unusual": (
        "ngoài khoảng thường gặp (từ {low} đến {high})",
        "outside the usual range ({low} to {high})",
    ),
    "doubt_far_above_expected": (
        "gấp hơn 10 lần mức kế hoạch của kỳ (khoảng {expected})",
        "more than ten times the plan for the period (about {expected})",
    ),
    "doubt_province_target": (
        "bằng hoặc vượt chỉ tiêu của cả tỉnh ({province_target})",
        "at or above the whole province's target ({province_target})",
    ),
    "doubt_rounded": (
        "Chỉ tiêu này ghi đến {decimals} chữ số thập phân: {typed} sẽ được lưu là {value}.",
        "This indicator keeps {decimals} decimal places: {typed} would be stored as {value}.",
    ),
    "doubt_rounded_count": (
        "Số đếm không có phần lẻ: {typed} sẽ được lưu là {value}.",
        "A count has no fraction: {typed} would be stored as {value}.",
    ),
    "keep_value": ("Đúng, giữ số này", "Yes, keep it"),
    "keep_rounded": ("Lưu {value}", "Store {value}"),
    "retype_value": ("Nhập lại", "Type it again"),
    "retype": ("Mời nhập lại số liệu.", "Please type the figure again."),
    "ask_reason": (
        "Vì sao sửa số đã báo cáo? Nhập lý do ngắn gọn, ví dụ: theo số liệu chính thức của Thống kê.",
        "Why are you correcting the earlier figure? A short reason, e.g. official statistics.",
    ),
    "reason_invalid": (
        "Lý do cần có chữ, từ 3 đến {limit} ký tự.",
        "The reason needs words, 3 to {limit} characters.",
    ),
    "reason_too_long": (
        "Lý do dài {length} ký tự, tối đa {limit}. Hãy rút gọn.",
        "The reason has {length} characters; at most {limit}. Please shorten it.",
    ),
    "ask_note": (
        "Thêm ghi chú nếu cần{evidence}, hoặc chọn Bỏ qua.",
        "Add a note if needed{evidence}, or choose Skip.",
    ),
    "ask_note_evidence_document": (
        ", có thể gửi kèm ảnh hoặc tệp minh chứng",
        ", and a photo or file as evidence",
    ),
    "ask_note_evidence_photo": (", có thể gửi kèm ảnh minh chứng", ", and a photo as evidence"),
    "skip": ("Bỏ qua", "Skip"),
    "note_too_long": (
        "Ghi chú dài {length} ký tự, tối đa {limit}. Hãy rút gọn.",
        "The note has {length} characters; at most {limit}. Please shorten it.",
    ),
    "text_needs_words": (
        "Cần có chữ hoặc số, không chỉ biểu tượng.",
        "It needs words or digits, not only symbols.",
    ),
    "attachment_not_now": (
        "Bước này cần nhập chữ hoặc số; ảnh, tệp minh chứng gửi ở bước ghi chú.",
        "This step needs text; photos and files go with the note, a little later.",
    ),
    "summary": (
        "Kiểm tra trước khi gửi:\nĐơn vị: {unit}\nKỳ: {period}\nChỉ tiêu: {indicator}\n"
        "{value_label}: {value}",
        "Check before sending:\nUnit: {unit}\nPeriod: {period}\nIndicator: {indicator}\n"
        "{value_label}: {value}",
    ),
    "summary_figure": ("Số liệu", "Figure"),
    "summary_result": ("Kết quả", "Result"),
    "summary_note": ("Ghi chú: {note}", "Note: {note}"),
    "summary_evidence": ("Minh chứng: có ({kind})", "Evidence: attached ({kind})"),
    "summary_reason": ("Lý do sửa: {reason}", "Reason for correction: {reason}"),
    "evidence_photo": ("ảnh", "photo"),
    "evidence_document": ("tệp", "file"),
    "confirm": ("✅ Xác nhận", "✅ Confirm"),
    "edit_value": ("✏️ Sửa số liệu", "✏️ Edit figure"),
    "cancel": ("❌ Hủy", "❌ Cancel"),
    "confirm_invalid": (
        "Hãy chọn Xác nhận, Sửa số liệu hoặc Hủy.",
        "Please choose Confirm, Edit figure or Cancel.",
    ),
    "receipt": (
        "✅ Đã ghi nhận: {name} – {value}, {period}{revision}{late}.\n{progress}",
        "✅ Recorded: {name} – {value}, {period}{revision}{late}.\n{progress}",
    ),
    "receipt_revision": (" (bản sửa lần {n})", " (revision {n})"),
    "receipt_late": (" (nộp muộn {days} ngày)", " ({days} days late)"),
    # Several figures in one message
    "batch_too_many": (
        "Tin nhắn có quá nhiều mục; mỗi lần gửi tối đa {limit} số liệu.",
        "That message holds too many items; at most {limit} figures at once.",
    ),
    "batch_problems": (
        "Các mục sau chưa dùng được, sẽ không lưu:\n{problems}",
        "These items cannot be used and will not be stored:\n{problems}",
    ),
    "batch_unknown": ("không nhận ra chỉ tiêu nào", "no indicator recognised"),
    "batch_not_assigned": ("chỉ tiêu không được giao cho {unit}", "not assigned to {unit}"),
    "batch_which": (
        "khớp với nhiều chỉ tiêu ({numbers}); hãy ghi rõ, ví dụ “ct {example}”",
        "fits several indicators ({numbers}); say which, e.g. “ct {example}”",
    ),
    "batch_choice": (
        "chỉ tiêu này chọn kết quả; hãy báo cáo riêng bằng /baocao {number}",
        "this indicator is answered by a choice; report it with /report {number}",
    ),
    "batch_no_figure": ("chưa có số liệu", "no figure"),
    "batch_twice": ("chỉ tiêu này đã có ở mục trước", "that indicator came earlier already"),
    "batch_drop": ("Bỏ số này", "Leave this one out"),
    "batch_nothing": (
        "Không còn số liệu nào để lưu; chưa có gì được lưu.",
        "No figures left to store; nothing was stored.",
    ),
    "batch_revisions": (
        "Kỳ này đã báo cáo: {names}. Số mới sẽ là bản sửa; bản cũ vẫn được lưu.",
        "Already reported this period: {names}. The new figures make revisions; the earlier "
        "ones are kept.",
    ),
    "batch_correction": (" (bản sửa)", " (correction)"),
    "batch_summary": (
        "Kiểm tra trước khi gửi:\nĐơn vị: {unit}\nKỳ: {period}\n{figures}",
        "Check before sending:\nUnit: {unit}\nPeriod: {period}\n{figures}",
    ),
    "batch_confirm_invalid": ("Hãy chọn Xác nhận hoặc Hủy.", "Please choose Confirm or Cancel."),
    "batch_receipt": (
        "✅ Đã ghi nhận {count} số liệu {period}:\n{figures}",
        "✅ Recorded {count} figures for {period}:\n{figures}",
    ),
    "progress_total": (
        "Lũy kế năm của đơn vị: {achieved} / {target}, bằng {percent} kế hoạch.",
        "Unit's total for the year: {achieved} of {target}, {percent} of the plan.",
    ),
    "progress_level": (
        "Chỉ tiêu {target}; số báo cáo bằng {percent} chỉ tiêu.",
        "Target {target}; the figure is {percent} of it.",
    ),
    "progress_rate": (
        "Chỉ tiêu {target}; số báo cáo {achieved}.",
        "Target {target}; reported {achieved}.",
    ),
    "progress_band": (
        "Mục tiêu {target}; lệch {gap}.",
        "Target {target}; off by {gap}.",
    ),
    "progress_met": ("🎯 Đã đạt chỉ tiêu.", "🎯 Target met."),
    "progress_not_met": ("Chưa đạt chỉ tiêu ({target}).", "Target not met yet ({target})."),
    "points": ("{value} điểm %", "{value} percentage points"),
    "progress_short": ("Còn thiếu {gap} để đạt chỉ tiêu.", "{gap} to go to reach the target."),
    "progress_no_target": (
        "Đơn vị chưa được giao chỉ tiêu riêng cho nội dung này.",
        "No target is set for your unit on this indicator.",
    ),
    # Reminders, snooze, away
    "remind": (
        "⏰ Nhắc báo cáo số liệu {period} của {unit}: hạn nộp {deadline} ({when}). "
        "Còn thiếu {count} chỉ tiêu:\n{items}",
        "⏰ Reminder: {unit}'s figures for {period} are due {deadline} ({when}). "
        "{count} indicators still missing:\n{items}",
    ),
    "remind_days_left": ("còn {days} ngày", "{days} days left"),
    "remind_due_today": ("hôm nay là hạn cuối", "due today"),
    "remind_overdue": ("đã quá hạn {days} ngày", "{days} days overdue"),
    "escalate": (
        "⚠️ {unit} đã quá hạn {days} ngày báo cáo số liệu {period} (hạn {deadline}). "
        "Các chỉ tiêu còn thiếu ({count}):\n{items}",
        "⚠️ {unit} is {days} days late with its figures for {period} (due {deadline}). "
        "Indicators still missing ({count}):\n{items}",
    ),
    "remind_report_now": ("Báo cáo ngay", "Report now"),
    "remind_later": ("Nhắc lại sau {hours} giờ", "Remind me in {hours} hours"),
    "remind_tomorrow": ("Ngày mai", "Tomorrow"),
    "late_list": (
        "📋 Đơn vị chậm nộp số liệu, ngày {date}: {count} đơn vị.",
        "📋 Units late with their figures, {date}: {count} units.",
    ),
    "late_list_group": ("{group} — {count} đơn vị:", "{group} — {count} units:"),
    "late_list_period": ("{period} thiếu {count} chỉ tiêu", "{period}: {count} indicators missing"),
    "snoozed": ("Sẽ nhắc lại lúc {time}.", "I will remind you again at {time}."),
    "snoozed_day": ("{time} ngày {date}", "{time} on {date}"),
    "snooze_closed": (
        "Kỳ báo cáo {period} đã khóa, không nhận số liệu nữa nên bot không nhắc lại.",
        "The reporting period {period} is closed and takes no more figures, so there is "
        "nothing to remind you of.",
    ),
    "snooze_done": (
        "{unit} đã báo cáo đủ số liệu {period}, không cần nhắc lại.",
        "{unit} has reported all its figures for {period}; no reminder needed.",
    ),
    "snooze_invalid": (
        "Lời nhắc này không còn dùng được. Gõ /baocao để báo cáo số liệu.",
        "This reminder can no longer be used. Type /report to report figures.",
    ),
    "away_usage": (
        "Để tạm dừng nhắc việc khi vắng mặt, gõ /vang và ngày cuối cùng bạn vắng, ví dụ "
        "/vang 20/10/2025. Trong thời gian đó đầu mối khác của đơn vị (hoặc lãnh đạo đơn vị) "
        "được nhắc thay. Gõ /vang huy để hủy.",
        "To pause reminders while you are away, type /away and your last day away, e.g. "
        "/away 20/10/2025. Meanwhile another focal point of your unit (or its head) is "
        "reminded instead. Type /away cancel to undo it.",
    ),
    "away_set": (
        "Đã ghi nhận: bạn vắng mặt đến hết ngày {date}. Trong thời gian này bot không nhắc "
        "bạn báo cáo. Gõ /vang huy nếu bạn về sớm.",
        "Noted: you are away until the end of {date}. Until then the bot will not remind "
        "you. Type /away cancel if you are back earlier.",
    ),
    "away_bad_date": (
        "Không đọc được ngày “{text}”. Hãy viết ngày/tháng/năm, ví dụ /vang 20/10/2025.",
        "“{text}” is not a date I can read. Write day/month/year, e.g. /away 20/10/2025.",
    ),
    "away_past": (
        "Ngày {date} đã qua. Hãy gõ ngày cuối cùng bạn vắng mặt, từ hôm nay trở đi.",
        "{date} has passed. Type your last day away, today or later.",
    ),
    "away_cleared": (
        "Đã hủy báo vắng: bot sẽ nhắc bạn báo cáo như thường.",
        "You are no longer marked away: reminders come to you again.",
    ),
    "away_none": ("Bạn chưa báo vắng.", "You are not marked away."),
    # Campaign updates (/thongbao)
    "broadcast_admins_only": (
        "Chỉ quản trị của phong trào mới gửi được thông báo. Không có gì được gửi.",
        "Only the campaign's administrators can send updates. Nothing was sent.",
    ),
    "broadcast_ask_text": (
        "📢 Thông báo mới: hãy gõ nội dung cần gửi (gõ /huy để thoát).",
        "📢 New update: type the text to send (/cancel to leave).",
    ),
    "broadcast_earlier": ("📋 Các thông báo trước", "📋 Earlier updates"),
    "broadcast_empty": (
        "Nội dung thông báo đang trống. Hãy gõ nội dung bằng chữ.",
        "The update has no text. Please type its text.",
    ),
    "broadcast_text_only": (
        "Thông báo hiện chỉ gửi được nội dung chữ; ảnh hoặc tệp đính kèm sẽ không được gửi.",
        "Updates carry text only for now; the photo or file will not be sent.",
    ),
    "broadcast_too_long": (
        "Nội dung dài {length} ký tự, quá giới hạn {limit} ký tự. Hãy rút gọn rồi gửi lại.",
        "The text is {length} characters long, over the limit of {limit}. Please shorten it.",
    ),
    "broadcast_ask_audience": (
        "Gửi cho ai? Chọn “Tất cả” hoặc gõ một khối, cụm, loại đơn vị (các xã, các phường, "
        "các sở, doanh nghiệp), vai trò (lãnh đạo, đầu mối) hoặc tên các đơn vị cách nhau "
        "bởi dấu phẩy. Ví dụ: khoi kinh te; cum bat xat; so tai chinh, so y te",
        "Who is it for? Pick “Everyone” or type a block, a cluster, a kind of unit (các xã, "
        "các phường, các sở, doanh nghiệp), a role (lãnh đạo, đầu mối) or units' names "
        "separated by commas. E.g.: khoi kinh te; cum bat xat; so tai chinh, so y te",
    ),
    "broadcast_everyone": ("Tất cả", "Everyone"),
    "broadcast_which": ("“{typed}” có thể là:", "“{typed}” could be:"),
    "broadcast_unknown_any": (
        "Không tìm thấy khối, cụm, loại đơn vị, vai trò hay đơn vị nào tên “{typed}”.",
        "No block, cluster, kind of unit, role or unit is called “{typed}”.",
    ),
    "broadcast_unknown_block": (
        "Không có khối thi đua nào tên “{typed}”.",
        "There is no emulation block called “{typed}”.",
    ),
    "broadcast_unknown_cluster": (
        "Không có cụm thi đua nào tên “{typed}”.",
        "There is no emulation cluster called “{typed}”.",
    ),
    "broadcast_unknown_kind": (
        "Không có loại đơn vị “{typed}” (các sở, cơ quan, các xã, các phường, doanh nghiệp).",
        "There is no kind of unit “{typed}” (sở, cơ quan, xã, phường, doanh nghiệp).",
    ),
    "broadcast_unknown_role": (
        "Không có vai trò “{typed}” (đầu mối, lãnh đạo, quản trị, người theo dõi).",
        "There is no role “{typed}” (reporter, head, admin, viewer).",
    ),
    "broadcast_unknown_units": (
        "Không tìm thấy đúng một đơn vị tên “{typed}”. Hãy gõ tên đầy đủ hơn.",
        "No single unit is called “{typed}”. Please type more of its name.",
    ),
    "broadcast_nobody": (
        "“{audience}” hiện chưa có ai tham gia bot, nên thông báo không đến được ai. "
        "Hãy chọn nhóm khác.",
        "Nobody in “{audience}” uses the bot yet, so the update would reach no one. "
        "Please choose another audience.",
    ),
    "broadcast_ask_when": (
        "Gửi ngay, hay hẹn giờ? Gõ ngày giờ theo dạng dd/mm/yyyy hh:mm, ví dụ 15/11/2025 08:00.",
        "Send now, or at a set time? Type the date and time as dd/mm/yyyy hh:mm, "
        "e.g. 15/11/2025 08:00.",
    ),
    "broadcast_now": ("🚀 Gửi ngay", "🚀 Send now"),
    "broadcast_bad_moment": (
        "Không đọc được “{typed}”. Hãy gõ ngày giờ theo dạng dd/mm/yyyy hh:mm, ví dụ "
        "15/11/2025 08:00.",
        "Could not read “{typed}”. Please type the date and time as dd/mm/yyyy hh:mm, e.g. "
        "15/11/2025 08:00.",
    ),
    "broadcast_past": (
        "{moment} đã qua. Hãy chọn một thời điểm sau bây giờ, hoặc “Gửi ngay”.",
        "{moment} has passed. Please choose a later moment, or “Send now”.",
    ),
    "broadcast_preview": (
        "Xem lại thông báo:\nGửi tới: {audience} — {count} người\nThời gian: {when}\n\n{text}",
        "Check the update:\nTo: {audience} — {count} people\nWhen: {when}\n\n{text}",
    ),
    "broadcast_when_now": ("ngay khi xác nhận", "as soon as confirmed"),
    "broadcast_split": (
        "⚠️ Nội dung dài {length} ký tự nên sẽ được chia thành nhiều tin: {pieces}.",
        "⚠️ The text is {length} characters long, so it will be split: {pieces}.",
    ),
    "broadcast_pieces": ("{channel} khoảng {count} tin", "{channel} about {count} messages"),
    "broadcast_confirm": ("✅ Gửi thông báo", "✅ Send the update"),
    "broadcast_cancel": ("✖️ Hủy", "✖️ Cancel"),
    "broadcast_confirm_hint": (
        "Chọn “Gửi thông báo” để gửi, hoặc “Hủy”.",
        "Pick “Send the update” to send it, or “Cancel”.",
    ),
    "broadcast_queued": (
        "Đã nhận thông báo #{number}; bot đang gửi tới {count} người. Khi gửi xong, bạn sẽ "
        "nhận báo cáo kết quả.",
        "Update #{number} accepted; the bot is sending it to {count} people. You will get a "
        "delivery report when it is done.",
    ),
    "broadcast_scheduled": (
        "Đã hẹn gửi thông báo #{number} lúc {moment}. Khi gửi xong, bạn sẽ nhận báo cáo kết quả.",
        "Update #{number} is set to go at {moment}. You will get a delivery report when it "
        "is done.",
    ),
    "broadcast_none_yet": ("Chưa có thông báo nào.", "No updates yet."),
    "broadcast_list": ("Các thông báo gần đây:", "Recent updates:"),
    "broadcast_line": (
        "#{number} {moment} — {audience}: {summary}",
        "#{number} {moment} — {audience}: {summary}",
    ),
    "broadcast_not_found": ("Không có thông báo #{number}.", "There is no update #{number}."),
    "broadcast_waiting": ("chờ đến giờ gửi", "waiting for its time"),
    "broadcast_in_progress": ("đang gửi: {sent}/{total}", "sending: {sent}/{total}"),
    "broadcast_report": (
        "Thông báo #{number} ({audience}): {summary}",
        "Update #{number} ({audience}): {summary}",
    ),
    "broadcast_all_sent": ("đã gửi {sent}/{total}.", "sent {sent}/{total}."),
    "broadcast_some_unsent": (
        "đã gửi {sent}/{total}; {unsent} không gửi được: {why}.",
        "sent {sent}/{total}; {unsent} could not be sent: {why}.",
    ),
    "broadcast_blocked": ("{count} đã chặn bot", "{count} blocked the bot"),
    "broadcast_network": ("{count} lỗi mạng", "{count} network errors"),
    "broadcast_other": ("{count} lỗi khác", "{count} other errors"),
    "broadcast_no_chat": (
        " {count} người trong nhóm không còn kênh nhắn tin nào với bot.",
        " {count} people of the audience have no chat with the bot left.",
    ),
    "broadcast_who": ("👥 Ai chưa nhận được", "👥 Who did not get it"),
    "broadcast_unreached": (
        "Chưa nhận được thông báo #{number}:",
        "Did not get update #{number}:",
    ),
    "broadcast_unreached_line": ("• {name} — {unit}: {why}", "• {name} — {unit}: {why}"),
    "broadcast_everyone_reached": (
        "Thông báo #{number} đã đến tất cả người nhận.",
        "Update #{number} reached every recipient.",
    ),
    # Standings: /xephang, /bangxephang, /tiendo
    "menu_standing": ("🏆 Xếp hạng của đơn vị", "🏆 My unit's standing"),
    "menu_leaderboard": ("🏅 Bảng xếp hạng", "🏅 Leaderboard"),
    "menu_progress": ("📊 Tiến độ của tỉnh", "📊 Province progress"),
    "menu_broadcast": ("📢 Gửi thông báo", "📢 Send an update"),
    "standing_place": ("Hạng {rank} trong {group}", "Rank {rank} in {group}"),
    "standing_place_province": ("Hạng {rank} toàn tỉnh", "Rank {rank} in the province"),
    "tied": (" (đồng hạng)", " (tied)"),
    "standing_score": (
        "Điểm: {total}/{full} (chỉ tiêu {targets} · tổ chức phong trào {organising} · thưởng {bonus})",
        "Score: {total}/{full} (targets {targets} · organising {organising} · bonus {bonus})",
    ),
    "standing_no_targets": (
        "Đơn vị không có chỉ tiêu được giao riêng: điểm tính theo tính đầy đủ và đúng hạn "
        "của báo cáo.",
        "Your unit has no target of its own: its score comes from complete and timely reports.",
    ),
    "standing_change": (
        "So với {period}: {delta} điểm, hạng {before} → {rank}.",
        "Since {period}: {delta} points, rank {before} → {rank}.",
    ),
    "standing_rates": (
        "Báo cáo đầy đủ {completeness}, đúng hạn {timeliness} ({received}/{expected} số liệu "
        "đến hạn).",
        "Reports complete {completeness}, on time {timeliness} ({received} of {expected} "
        "figures due).",
    ),
    "standing_nothing_due": (
        "Chưa có kỳ báo cáo nào đến hạn nộp.",
        "No reporting period is due yet.",
    ),
    "standing_progress_head": (
        "Tiến độ (số liệu đến {period}):",
        "Progress (figures up to {period}):",
    ),
    "standing_not_reported": ("chưa báo cáo", "not reported yet"),
    "standing_no_own_target": ("không có chỉ tiêu riêng", "no target of its own"),
    "standing_band": (
        "{figure}, lệch {gap} điểm % so với {target}",
        "{figure}, {gap} percentage points from {target}",
    ),
    "standing_missing_head": ("Còn thiếu:", "Still missing:"),
    "standing_missing_line": (
        "• {period} (hạn {deadline}): chỉ tiêu {numbers}",
        "• {period} (due {deadline}): targets {numbers}",
    ),
    "standing_nothing_missing": (
        "Đơn vị đã báo cáo đủ các kỳ đã đến hạn. 👍",
        "Your unit has reported everything due. 👍",
    ),
    "standing_not_yet": (
        "Chưa có số liệu để xếp hạng: kỳ báo cáo đầu tiên bắt đầu ngày {date}.",
        "Nothing to rank yet: the first reporting period starts on {date}.",
    ),
    "standing_own_only": (
        "Bạn chỉ xem được chi tiết của đơn vị mình (/xephang). Bảng xếp hạng của khối, cụm: "
        "/bangxephang",
        "You can see the details of your own unit only (/standing). Block and cluster "
        "tables: /leaderboard",
    ),
    "standing_unknown_unit": (
        "Không tìm thấy đơn vị “{typed}”. Gõ mã hoặc tên đơn vị, có dấu hay không dấu đều "
        "được, ví dụ: /xephang xa y ty",
        "No unit called “{typed}”. Type a unit's code or name, e.g. /standing xa y ty",
    ),
    "standing_too_many": (
        "“{typed}” khớp với {count} đơn vị. Hãy gõ đầy đủ hơn, ví dụ: /xephang xa y ty",
        "“{typed}” fits {count} units. Please type more of the name, e.g. /standing xa y ty",
    ),
    "standing_which_unit": (
        "Có nhiều đơn vị khớp với “{typed}”. Bạn muốn xem đơn vị nào?",
        "Several units fit “{typed}”. Which one?",
    ),
    "leaderboard_head": (
        "🏅 Bảng xếp hạng {group} (số liệu đến {period}):",
        "🏅 Leaderboard of {group} (figures up to {period}):",
    ),
    "province": ("toàn tỉnh", "the province"),
    "leaderboard_unknown_group": (
        "Không tìm thấy khối, cụm “{typed}”. Gõ /bangxephang để xem khối, cụm của đơn vị "
        "mình, hoặc /bangxephang toàn tỉnh.",
        "No block or cluster called “{typed}”. Send /leaderboard for your own, or "
        "/leaderboard all for the province.",
    ),
    "leaderboard_which_group": (
        "Có nhiều khối, cụm khớp với “{typed}”. Bạn muốn xem bảng nào?",
        "Several blocks or clusters fit “{typed}”. Which table?",
    ),
    "province_head": (
        "📊 Tiến độ các chỉ tiêu của tỉnh (số liệu đến {period}):",
        "📊 The province's progress on its targets (figures up to {period}):",
    ),
    "province_none": (
        "chưa có số liệu ({expected} đơn vị báo cáo)",
        "no figures yet ({expected} units report it)",
    ),
    "province_no_total": (
        "chưa có số tổng của sở; tổng {count} đơn vị đã báo: {value}",
        "no department total yet; {count} units reported {value} together",
    ),
    "province_units_met": ("{met}/{expected} đơn vị đạt", "{met} of {expected} units met it"),
    "province_check_parts": (
        "(đối chiếu: tổng các đơn vị {value})",
        "(check: the units' sum {value})",
    ),
    "province_check_total": (
        "(đối chiếu: số của sở {value})",
        "(check: the department's total {value})",
    ),
    "kind_department": ("các sở", "departments"),
    "kind_agency": ("các cơ quan, ngành", "agencies"),
    "kind_commune": ("các xã", "communes"),
    "kind_ward": ("các phường", "wards"),
    "kind_enterprise": ("các doanh nghiệp", "enterprises"),
    "audience_role": ("vai trò {role}", "role: {role}"),
    "audience_units": ("đơn vị", "unit"),
    # Deliverables (/nopbai) and exemplary stories (/dienhinh), their review (/duyet)
    "menu_deliver": ("📎 Nộp sản phẩm", "📎 Hand in a deliverable"),
    "menu_story": ("🌟 Gương điển hình", "🌟 Exemplary stories"),
    "upload_photo": ("ảnh chụp", "a photo"),
    "upload_or": (" hoặc ", " or "),
    "deliver_not_here": (
        "Ứng dụng này không gửi được {name} (cần tệp PDF, DOCX hoặc XLSX). Hãy nộp qua Telegram.",
        "This app cannot send {name} (it needs a PDF, DOCX or XLSX file). "
        "Please hand it in on Telegram.",
    ),
    "upload_photo_not_document": (
        "Mục này cần tệp {types}, không nhận ảnh chụp. Hãy gửi tệp (đính kèm dạng tài liệu).",
        "This needs a {types} file, not a photo. Please send the file as a document.",
    ),
    "upload_not_photo": (
        "Mục này chỉ nhận {types}. Hãy gửi ảnh.",
        "This takes only {types}. Please send a photo.",
    ),
    "upload_bad_type": (
        "Không nhận được loại tệp này. Chỉ nhận {types}.",
        "This kind of file cannot be taken. Only {types}.",
    ),
    "upload_too_large": (
        "Tệp lớn quá {limit} MB. Hãy giảm dung lượng (nén PDF, chụp ảnh nhỏ hơn) rồi gửi lại.",
        "The file is over {limit} MB. Please make it smaller (compress the PDF, a smaller "
        "photo) and send it again.",
    ),
    "upload_unavailable": (
        "Chưa tải được tệp về. Vui lòng gửi lại sau ít phút.",
        "The file could not be downloaded. Please send it again in a few minutes.",
    ),
    "deliver_outdated": (
        "Đợt thi đua vừa được cập nhật, sản phẩm đang nộp dở không còn trong danh sách; chưa có "
        "gì được lưu. Gõ /nopbai để xem các sản phẩm cần nộp.",
        "The campaign was updated and the deliverable you were handing in is no longer listed; "
        "nothing was stored. Type /deliver to see what is owed.",
    ),
    "deliver_viewer": (
        "Vai trò người theo dõi không nộp được sản phẩm. Hãy liên hệ Sở Nội vụ.",
        "Viewers cannot hand in deliverables. Please contact Sở Nội vụ.",
    ),
    "deliver_none": (
        "{unit} không có sản phẩm nào phải nộp trong phong trào này.",
        "{unit} has no deliverable to hand in for this campaign.",
    ),
    "deliver_unknown": (
        "Không có sản phẩm nào tên “{typed}”.",
        "No deliverable is called “{typed}”.",
    ),
    "deliver_pick": ("Nộp sản phẩm nào?", "Which deliverable?"),
    "deliver_pick_invalid": (
        "Hãy chọn một sản phẩm trong danh sách.",
        "Please pick one of the deliverables listed.",
    ),
    "deliver_ask_file": (
        "📎 {name} của {unit}: hạn nộp {date} ({status}).\nGửi vào đây {types} (tối đa 20 MB).",
        "📎 {name} of {unit}: due {date} ({status}).\nSend {types} here (at most 20 MB).",
    ),
    "deliver_version": (
        "• Đã nộp phiên bản {version} lúc {time}: {status}{note}",
        "• Version {version} handed in at {time}: {status}{note}",
    ),
    "deliver_status_missing": ("chưa nộp", "not handed in"),
    "deliver_status_submitted": ("chờ duyệt", "awaiting review"),
    "deliver_status_accepted": ("đã chấp nhận", "accepted"),
    "deliver_status_returned": ("đã trả lại", "returned"),
    "deliver_needs_file": (
        "Hãy gửi tệp cần nộp ({types}); /huy để thoát.",
        "Please send the file ({types}); /cancel to leave.",
    ),
    "deliver_ask_text": (
        "Thêm vài dòng về sản phẩm (tối đa {limit} ký tự)?",
        "A few lines about it (at most {limit} characters)?",
    ),
    "deliver_text_not_file": (
        "Đã nhận tệp rồi; ở bước này hãy gõ vài dòng.",
        "The file is already here; at this step please type a few lines.",
    ),
    "deliver_same_file": (
        "Tệp này đã được nộp lúc {time} (phiên bản {version}), không lưu lại lần nữa. "
        "Muốn nộp bản mới thì gửi tệp đã sửa.",
        "This very file was handed in at {time} (version {version}) and is not stored again. "
        "To hand in a new version, send the changed file.",
    ),
    "deliver_receipt": (
        "✅ Đã nhận {name} của {unit}: phiên bản {version}, lúc {time}{late}.\n"
        "{kind} {size}, mã kiểm tra {checksum}. Bạn sẽ được báo khi Sở Nội vụ duyệt.",
        "✅ Received {name} of {unit}: version {version}, at {time}{late}.\n"
        "{kind} {size}, checksum {checksum}. You will be told when Sở Nội vụ reviews it.",
    ),
    "deliver_owed_head": ("Sản phẩm chưa nộp:", "Deliverables not handed in yet:"),
    "deliver_owed_line": (
        "• {name}: hạn {date}, {status}{returned}",
        "• {name}: due {date}, {status}{returned}",
    ),
    "deliver_owed_returned": (
        " (bản đã nộp bị trả lại)",
        " (the version handed in was returned)",
    ),
    "deliver_now": ("📎 Nộp {name}", "📎 Hand in {name}"),
    "deliver_accepted": (
        "✅ {name} (phiên bản {version}) đã được Sở Nội vụ chấp nhận.",
        "✅ {name} (version {version}) was accepted by Sở Nội vụ.",
    ),
    "deliver_returned": (
        "↩️ {name} (phiên bản {version}) được trả lại để chỉnh sửa.",
        "↩️ {name} (version {version}) was returned to be corrected.",
    ),
    "deliver_again": ("📎 Nộp lại", "📎 Hand in again"),
    "review_note_line": ("Ghi chú: {note}", "Note: {note}"),
    "review_head": ("Chờ duyệt:", "Awaiting review:"),
    "items_gone": ("Mục này không còn nữa.", "That item no longer exists."),
    "review_open": ("Xem và duyệt", "Open and review"),
    "review_next": ("📋 Mục chờ duyệt khác", "📋 What else awaits review"),
    "review_deliverables": ("📎 Sản phẩm: {count}", "📎 Deliverables: {count}"),
    "review_deliverable_item": (
        "{unit} – {name} (phiên bản {version})",
        "{unit} – {name} (version {version})",
    ),
    "review_deliverable": (
        "📎 {name} của {unit}, phiên bản {version}, nộp lúc {time} ({status}).\nTệp: {file}",
        "📎 {name} of {unit}, version {version}, handed in at {time} ({status}).\nFile: {file}",
    ),
    "review_text": ("Kèm lời nhắn: {text}", "With the text: {text}"),
    "items_late": ("Nộp muộn {days} ngày.", "{days} days late."),
    "items_on_time": ("Nộp đúng hạn.", "On time."),
    "review_accept": ("✅ Chấp nhận", "✅ Accept"),
    "items_return": ("↩️ Trả lại để sửa", "↩️ Return for a fix"),
    "review_ask_note": (
        "Ghi chú gửi người nộp (hoặc Bỏ qua)?",
        "A note for the sender (or Skip)?",
    ),
    "review_ask_note_needed": (
        "Ghi chú gửi người nộp: cần sửa hoặc bổ sung gì, vì sao?",
        "A note for the sender: what to fix or add, and why?",
    ),
    "review_done_deliverable": (
        "Đã ghi: {decision}; người nộp đã được báo.",
        "Recorded: {decision}; the sender is told.",
    ),
    "review_stories": ("🌟 Gương điển hình: {count}", "🌟 Exemplary stories: {count}"),
    "review_story_item": ("{subject} ({unit})", "{subject} ({unit})"),
    "review_story": (
        "Gương điển hình #{number}, gửi lúc {time} ({status}):",
        "Exemplary story #{number}, sent at {time} ({status}):",
    ),
    "items_approve": ("✅ Duyệt", "✅ Approve"),
    "items_more": ("✍️ Đề nghị bổ sung", "✍️ Ask for more"),
    "review_decline": ("❌ Không duyệt", "❌ Decline"),
    "review_done_story": (
        "Đã ghi: {decision}; người gửi đã được báo.",
        "Recorded: {decision}; the sender is told.",
    ),
    "story_status_pending": ("chờ duyệt", "awaiting review"),
    "story_status_approved": ("đã duyệt", "approved"),
    "story_status_more": ("cần bổ sung", "more asked for"),
    "story_status_declined": ("không duyệt", "declined"),
    "story_kind_collective": ("tập thể", "collective"),
    "story_kind_person": ("cá nhân", "person"),
    "story_text": (
        "🌟 {subject} ({kind}, {unit})\n{achievement}",
        "🌟 {subject} ({kind}, {unit})\n{achievement}",
    ),
    "story_photos": ("Ảnh kèm theo: {count}", "Photos: {count}"),
    "story_usage": (
        "/dienhinh – xem gương điển hình đã duyệt; /dienhinh gui – gửi một gương mới.",
        "/story – approved exemplary stories; /story send – send a new one.",
    ),
    "story_viewer": (
        "Vai trò người theo dõi không gửi được gương điển hình. Hãy liên hệ Sở Nội vụ.",
        "Viewers cannot send stories. Please contact Sở Nội vụ.",
    ),
    "story_send": ("🌟 Gửi gương điển hình", "🌟 Send a story"),
    "story_more_list": ("Xem tiếp", "More"),
    "story_none_approved": (
        "Chưa có gương điển hình nào của {where} được duyệt.",
        "No exemplary story of {where} has been approved yet.",
    ),
    "story_list_head": (
        "Gương điển hình của {where} ({first}–{last} trên {total}, mới nhất trước):",
        "Exemplary stories of {where} ({first}–{last} of {total}, newest first):",
    ),
    "story_ask_kind": (
        "Gương điển hình là một tập thể hay một cá nhân?",
        "Is the story about a collective or a person?",
    ),
    "story_kind_invalid": ("Hãy chọn tập thể hoặc cá nhân.", "Please pick collective or person."),
    "story_ask_subject_collective": (
        "Tên tập thể (ví dụ: Tổ dân phố số 3, Phòng Kinh tế)?",
        "The collective's name (e.g. Tổ dân phố số 3)?",
    ),
    "story_ask_subject_person": (
        "Họ tên và chức vụ của cá nhân?",
        "The person's full name and position?",
    ),
    "story_ask_unit": (
        "Thuộc đơn vị nào? Chọn đơn vị của bạn hoặc gõ tên đơn vị khác.",
        "Of which unit? Pick yours or type another unit's name.",
    ),
    "story_unit_unknown": (
        "Không tìm thấy đúng một đơn vị tên “{typed}”. Hãy gõ đủ tên đơn vị.",
        "No single unit is called “{typed}”. Please type the unit's full name.",
    ),
    "story_ask_achievement": (
        "Thành tích, việc làm nổi bật (tối đa {limit} ký tự)?",
        "What did they achieve (at most {limit} characters)?",
    ),
    "story_text_first": (
        "Ở bước này hãy gõ chữ; ảnh gửi ở bước sau.",
        "Please type text here; photos come next.",
    ),
    "story_ask_photos": (
        "Gửi ảnh minh họa (tối đa {limit} ảnh, đã có {count}).",
        "Send photos (at most {limit}, {count} so far).",
    ),
    "story_no_photos_here": (
        "Ứng dụng này không gửi ảnh được; có thể gửi ảnh sau qua ứng dụng khác.",
        "This app cannot send photos.",
    ),
    "story_no_photos": ("Không có ảnh", "No photos"),
    "story_photos_done": ("Xong", "Done"),
    "story_photo_taken": (
        "Đã nhận ảnh {count}/{limit}. Gửi thêm hoặc chọn Xong.",
        "Photo {count}/{limit} received. Send more or pick Done.",
    ),
    "story_photo_again": ("Ảnh này đã gửi rồi.", "That photo was already sent."),
    "story_photo_or_done": ("Hãy gửi ảnh hoặc chọn Xong.", "Please send a photo or pick Done."),
    "story_summary": (
        "Kiểm tra trước khi gửi:\n🌟 {subject} ({kind}, {unit})\n{achievement}\nẢnh: {photos}",
        "Check before sending:\n🌟 {subject} ({kind}, {unit})\n{achievement}\nPhotos: {photos}",
    ),
    "story_amend_summary": (
        "Bổ sung:\n{text}\nẢnh thêm: {photos}",
        "Adding:\n{text}\nMore photos: {photos}",
    ),
    "story_confirm": ("✅ Gửi Sở Nội vụ", "✅ Send to Sở Nội vụ"),
    "story_receipt": (
        "✅ Đã gửi gương điển hình #{number} ({subject}) để Sở Nội vụ xem xét. "
        "Bạn sẽ được báo kết quả.",
        "✅ Story #{number} ({subject}) was sent to Sở Nội vụ for review. "
        "You will be told the outcome.",
    ),
    "story_to_review": (
        "🌟 Gương điển hình mới #{number}: {subject}, gửi từ {unit}.",
        "🌟 New exemplary story #{number}: {subject}, from {unit}.",
    ),
    "story_ask_more_text": (
        "Gõ nội dung bổ sung (hoặc Bỏ qua để chỉ gửi thêm ảnh).",
        "Type what to add (or Skip to add only photos).",
    ),
    "story_not_amendable": (
        "Gương điển hình này không chờ bổ sung.",
        "This story is not waiting for more.",
    ),
    "story_approved": (
        "🌟 Gương điển hình “{subject}” đã được Sở Nội vụ duyệt. Cảm ơn bạn!",
        "🌟 The story “{subject}” was approved by Sở Nội vụ. Thank you!",
    ),
    "story_more": (
        "✍️ Sở Nội vụ đề nghị bổ sung gương điển hình “{subject}”.",
        "✍️ Sở Nội vụ asks for more on the story “{subject}”.",
    ),
    "story_declined": (
        "Gương điển hình “{subject}” chưa được duyệt.",
        "The story “{subject}” was not approved.",
    ),
    "story_add": ("✍️ Bổ sung", "✍️ Add more"),
    "story_publish": ("📢 Đăng thành thông báo", "📢 Publish as an update"),
    "story_not_publishable": (
        "Chỉ đăng được gương điển hình đã duyệt.",
        "Only an approved story can be published.",
    ),
    "story_update_head": ("Gương điển hình tiên tiến:", "Exemplary story:"),
    "remind_deliverable": (
        "⏰ Nhắc nộp {name} của {unit}: hạn nộp {date} ({when}).",
        "⏰ Reminder: {unit}'s {name} is due {date} ({when}).",
    ),
    # Review by the secretariat (/duyet) and a value's history (/lichsu)
    "menu_review": ("🗂️ Duyệt số liệu ({count} chờ duyệt)", "🗂️ Review figures ({count} waiting)"),
    "chart_progress_caption": (
        "📊 Tiến độ các chỉ tiêu của {unit}",
        "📊 {unit}: progress on each target",
    ),
    "chart_ranking_caption": ("📊 Điểm thi đua: {group}", "📊 Scores: {group}"),
    "chart_province": ("Toàn tỉnh", "The whole province"),
    "review_admins_only": (
        "Chỉ quản trị của phong trào (Sở Nội vụ) mới duyệt được.",
        "Only the campaign's administrators (Sở Nội vụ) can review.",
    ),
    "review_none": ("✅ Không còn số liệu nào chờ duyệt.", "✅ No figures are waiting for review."),
    "review_page": (
        "🗂️ Số liệu chờ duyệt: {total} (đang xem {first}–{last}, chờ lâu nhất trước)",
        "🗂️ Figures waiting for review: {total} (showing {first}–{last}, longest waiting first)",
    ),
    "review_all": (
        "🗂️ Số liệu chờ duyệt: {total}, chờ lâu nhất trước",
        "🗂️ Figures waiting for review: {total}, longest waiting first",
    ),
    "review_item": (
        "{n}. {what}\n   {revision} · {timing}\n   {who}, {channel}, {time}",
        "{n}. {what}\n   {revision} · {timing}\n   {who}, {channel}, {time}",
    ),
    "review_what": (
        "{unit} — {indicator}, {period}: {value}",
        "{unit} — {indicator}, {period}: {value}",
    ),
    "review_first": ("nộp lần đầu", "first report"),
    "review_revised": ("sửa lần {n}, lý do: {reason}", "correction {n}, reason: {reason}"),
    "review_after_approved": (" (sửa số đã duyệt)", " (corrects an approved figure)"),
    "review_after_returned": (" (sửa sau khi bị trả lại)", " (after it was returned)"),
    "review_on_time": ("đúng hạn", "on time"),
    "review_late": ("nộp muộn {days} ngày", "{days} days late"),
    "review_note": ("   Ghi chú: {note}", "   Note: {note}"),
    "review_approve": ("✅ Duyệt {n}", "✅ Approve {n}"),
    "review_return": ("↩️ Trả lại {n}", "↩️ Return {n}"),
    "review_approve_all": ("✅ Duyệt cả {count} số liệu trên", "✅ Approve all {count} above"),
    "review_more": ("➡️ Xem các số liệu khác", "➡️ Show the others"),
    "review_list_invalid_numbered": (
        "Hãy chọn một việc trong danh sách: D1 để duyệt số 1, T1 để trả lại số 1…; "
        "hoặc gõ /huy để thoát.",
        "Please choose from the list: D1 approves number 1, T1 returns number 1…; "
        "or send /cancel to leave.",
    ),
    "review_list_invalid": (
        "Hãy bấm một nút dưới danh sách, hoặc gõ /huy để thoát.",
        "Please press a button under the list, or send /cancel to leave.",
    ),
    "review_approved": ("✅ Đã duyệt: {what}.", "✅ Approved: {what}."),
    "review_approved_many": ("✅ Đã duyệt {count} số liệu.", "✅ Approved {count} figures."),
    "review_gone": (
        "Số liệu này không còn chờ duyệt: đã có người xử lý, hoặc đơn vị vừa sửa.",
        "This figure is no longer waiting: someone has dealt with it, or the unit has just "
        "corrected it.",
    ),
    "review_ask_comment": (
        "↩️ Trả lại số liệu: {what}\nHãy nhập nhận xét cho đơn vị: sai ở đâu, cần sửa thế nào "
        "(3–{limit} ký tự). Đơn vị nhận được ngay, kèm nút để sửa số liệu.",
        "↩️ Returning: {what}\nType a comment for the unit: what is wrong, what to fix "
        "(3–{limit} characters). The unit gets it at once, with a button to correct the figure.",
    ),
    "review_back": ("⬅️ Quay lại danh sách", "⬅️ Back to the list"),
    "review_comment_text": (
        "Nhận xét cần là chữ: hãy gõ nội dung nhận xét, hoặc chọn Quay lại danh sách.",
        "The comment must be text: please type it, or choose Back to the list.",
    ),
    "review_returned": (
        "↩️ Đã trả lại: {what}. Đã báo cho {count} người của đơn vị.",
        "↩️ Returned: {what}. {count} people of the unit were told.",
    ),
    "review_returned_nobody": (
        "↩️ Đã trả lại: {what}. Đơn vị chưa có ai dùng bot nên chưa nhận được thông báo; "
        "hãy liên hệ trực tiếp.",
        "↩️ Returned: {what}. Nobody of the unit uses the bot yet, so nobody was told; "
        "please contact them directly.",
    ),
    "review_notice": (
        "↩️ Số liệu cần sửa\n{reviewer} trả lại số liệu {period} của {unit}:\n{indicator}: {value}"
        "\nNhận xét: {comment}\nHãy kiểm tra và báo cáo lại; số liệu sửa sẽ được duyệt lại.",
        "↩️ A figure to correct\n{reviewer} returned the figure for {period} of {unit}:\n"
        "{indicator}: {value}\nComment: {comment}\nPlease check it and report again; the "
        "correction will be reviewed again.",
    ),
    "review_reopened": (
        "Kỳ này đã khóa nên được mở lại cho đơn vị đến hết ngày {date} để sửa.",
        "This period was locked; it is reopened for the unit until the end of {date} for the fix.",
    ),
    "review_fix": ("✏️ Sửa số liệu", "✏️ Correct the figure"),
    "receipt_back_in_review": (
        "Số liệu sửa được chuyển lại để duyệt.",
        "The corrected figure goes back for review.",
    ),
    "channel_telegram": ("Telegram", "Telegram"),
    "channel_zalo": ("Zalo", "Zalo"),
    "channel_console": ("máy tính", "console"),
    "history_head": (
        "📜 Lịch sử số liệu, mới nhất trước\n{unit} — {indicator}",
        "📜 History of the figures, newest first\n{unit} — {indicator}",
    ),
    "history_line": (
        "• {time} · {period}: {action} {value} — {who}, {channel}{why}{status}",
        "• {time} · {period}: {action} {value} — {who}, {channel}{why}{status}",
    ),
    "history_submitted": ("nộp", "reported"),
    "history_revised": ("sửa lần {n} thành", "correction {n}:"),
    "history_approved": ("duyệt", "approved"),
    "history_returned": ("trả lại", "returned"),
    "history_reason": (". Lý do: {text}", ". Reason: {text}"),
    "history_comment": (". Nhận xét: {text}", ". Comment: {text}"),
    "history_status": (" · {status}", " · {status}"),
    "status_pending": ("chờ duyệt", "waiting for review"),
    "status_approved": ("đã duyệt", "approved"),
    "status_returned": ("bị trả lại", "returned"),
    "status_replaced": ("đã sửa sau đó", "corrected later"),
    "history_empty": (
        "Chưa có số liệu nào của {unit} cho {indicator}.",
        "{unit} has no figures for {indicator} yet.",
    ),
    "history_more": ("… và {count} thay đổi cũ hơn.", "… and {count} older changes."),
    "history_pick": (
        "Xem lịch sử số liệu của chỉ tiêu nào?",
        "The history of which indicator?",
    ),
    "history_usage": (
        "Gõ /lichsu, tên đơn vị và chỉ tiêu, ví dụ: /lichsu Sa Pa 9 hoặc /lichsu so-tai-chinh ct 9.",
        "Send /history with a unit and an indicator, e.g. /history Sa Pa 9 or "
        "/history so-tai-chinh ct 9.",
    ),
    "history_own_unit_only": (
        "Bạn chỉ xem được lịch sử số liệu của đơn vị mình ({unit}).",
        "You can only see the history of your own unit's figures ({unit}).",
    ),
    "history_unknown": (
        "Không tìm thấy chỉ tiêu hay đơn vị nào trong “{typed}”. Ví dụ: /lichsu 9, "
        "/lichsu ngân sách.",
        "No indicator or unit found in “{typed}”. For example: /history 9, /history ngân sách.",
    ),
    "history_which_unit": (
        "“{typed}” khớp với nhiều đơn vị; chọn một:",
        "“{typed}” fits several units; choose one:",
    ),
    "history_which_indicator": ("Chọn chỉ tiêu:", "Choose the indicator:"),
    # Charts and files
    "chart_no_target": ("chưa giao chỉ tiêu", "no target"),
    "chart_percent_of_target": ("% so với chỉ tiêu", "% of target"),
    "chart_score": ("Điểm", "Score"),
    # Commendation candidates (/khenthuong)
    "menu_commendations": ("🎖️ Đề xuất khen thưởng", "🎖️ Commendation candidates"),
    "commend_admins_only": (
        "Chỉ quản trị của phong trào mới xem được danh sách đề xuất khen thưởng.",
        "Only the campaign's administrators can see the commendation candidates.",
    ),
    "commend_head": (
        "🎖️ Đề xuất khen thưởng (số liệu đến {period}):",
        "🎖️ Commendation candidates (figures up to {period}):",
    ),
    "commend_no_rules": (
        "Tệp đợt thi đua chưa ghi điều kiện khen thưởng (mục commendations).",
        "The campaign file sets no conditions for commendation (commendations).",
    ),
    "commend_none": (
        "Chưa có đơn vị nào đạt điều kiện khen thưởng.",
        "No unit meets the conditions for commendation yet.",
    ),
    "commend_form_co_thi_dua": ("Cờ thi đua", "Emulation flag (Cờ thi đua)"),
    "commend_form_bang_khen": ("Bằng khen", "Certificate of merit (Bằng khen)"),
    "commend_form_giay_khen": ("Giấy khen", "Certificate of commendation (Giấy khen)"),
    "commend_form_head": ("🏅 {form}: {count} đơn vị", "🏅 {form}: {count} units"),
    "commend_rule": ("Điều kiện: {name}", "Condition: {name}"),
    "commend_no_group": ("không thuộc khối, cụm nào", "in no block or cluster"),
    "commend_facts": (
        "{score} điểm, {place}; đạt {met}/{targets} chỉ tiêu; đúng hạn {timeliness};"
        " đầy đủ {completeness}; số liệu đã duyệt {approved}/{reported}",
        "{score} points, {place}; {met} of {targets} targets met; on time {timeliness};"
        " complete {completeness}; figures approved {approved} of {reported}",
    ),
    "commend_more_stories": (
        "📖 và {count} gương điển hình khác",
        "📖 and {count} more exemplary stories",
    ),
    "commend_revenue_head": (
        "💰 Hoàn thành toàn diện nhiệm vụ thu ngân sách (chỉ tiêu {number}), đề xuất {form}"
        " ({proposers} đề xuất): {count} đơn vị",
        "💰 Fully met the budget revenue task (target {number}), proposed for {form}"
        " (by {proposers}): {count} units",
    ),
    "commend_revenue_none": (
        "Chưa có đơn vị nào đạt dự toán thu ngân sách được giao.",
        "No unit has met its budget revenue target yet.",
    ),
    "commend_revenue_line": (
        "• {name}: {figure} / {target} ({percent}) {review}",
        "• {name}: {figure} / {target} ({percent}) {review}",
    ),
    "commend_approved": ("✅ đã duyệt", "✅ approved"),
    "commend_not_approved": ("⏳ chưa duyệt hết", "⏳ not all approved"),
    "commend_revenue_reason": (
        "Thu ngân sách {percent}% dự toán ({proposers} đề xuất)",
        "Budget revenue {percent}% of target (proposed by {proposers})",
    ),
    "commend_col_form": ("Hình thức", "Form"),
    "commend_col_rule": ("Điều kiện", "Condition"),
    "commend_col_group": ("Khối, cụm", "Block or cluster"),
    "commend_col_score": ("Điểm", "Score"),
    "commend_col_rank": ("Hạng", "Rank"),
    "commend_col_targets": ("Chỉ tiêu đạt", "Targets met"),
    "commend_col_timeliness": ("Đúng hạn (%)", "On time (%)"),
    "commend_col_completeness": ("Đầy đủ (%)", "Complete (%)"),
    "commend_col_approved": ("Số liệu đã duyệt", "Figures approved"),
    "commend_col_stories": ("Gương điển hình", "Exemplary stories"),
    "file_link": (
        "📎 {name}: {url}\n(Liên kết dùng được đến {until}.)",
        "📎 {name}: {url}\n(The link works until {until}.)",
    ),
    "file_on_disk": ("📎 {name}: {path}", "📎 {name}: {path}"),
    # Digests: the weekly standing to focal points, the monthly summary to admins
    "digest_weekly_head": (
        "📬 Bản tin thi đua hằng tuần, ngày {date}",
        "📬 Weekly campaign digest, {date}",
    ),
    "digest_weekly_more": (
        "Tiến độ từng chỉ tiêu: /xephang · Bảng xếp hạng: /bangxephang",
        "Each target's progress: /standing · The table: /leaderboard",
    ),
    "digest_monthly_head": (
        "📊 Tổng hợp thi đua hằng tháng, ngày {date} (số liệu đến {period})",
        "📊 Monthly campaign summary, {date} (figures up to {period})",
    ),
    "digest_province_rates": ("Toàn tỉnh: {rates}", "The province: {rates}"),
    "digest_by_group": ("Theo khối, cụm thi đua:", "By block and cluster:"),
    "digest_top": ("Dẫn đầu toàn tỉnh:", "Leading the province:"),
    "digest_bottom": ("Cuối bảng:", "At the bottom:"),
    "digest_pending": (
        "Số liệu chờ duyệt: {count} (/duyet).",
        "Figures awaiting review: {count} (/review).",
    ),
    "digest_no_pending": ("Không có số liệu nào chờ duyệt.", "No figures await review."),
    # The XLSX export (/xuat)
    "menu_export": ("📊 Xuất Excel", "📊 Export to Excel"),
    "export_admins_only": (
        "Chỉ quản trị của phong trào mới xuất được dữ liệu ra Excel.",
        "Only the campaign's administrators can export the data to Excel.",
    ),
    "export_no_documents": (
        "Kênh này chưa gửi được tệp. Hãy gõ /xuat trong Telegram, "
        "hoặc chạy lệnh thidua export trên máy chủ.",
        "This channel cannot send files yet. Type /export in Telegram, "
        "or run thidua export on the server.",
    ),
    "export_bad_period": (
        "Đợt thi đua không có kỳ “{typed}”. Gõ /xuat để xuất mọi kỳ, "
        "hoặc /xuat {example} cho một kỳ.",
        "The campaign has no period “{typed}”. Type /export for every period, "
        "or /export {example} for one.",
    ),
    "export_started": (
        "⏳ Đang tạo tệp Excel ({periods}), xong sẽ gửi ngay vào đây…",
        "⏳ Making the Excel file ({periods}); it comes here when ready…",
    ),
    "export_ready": (
        "📊 Dữ liệu thi đua ({periods}): {reports} dòng báo cáo (kể cả các lần sửa), "
        "{units} dòng đầy đủ, đúng hạn theo đơn vị và kỳ.",
        "📊 Campaign data ({periods}): {reports} report rows (revisions included), "
        "{units} rows of completeness and timeliness by unit and period.",
    ),
    "export_failed": (
        "Xin lỗi, chưa tạo được tệp Excel. Hãy thử lại sau ít phút.",
        "Sorry, the Excel file could not be made. Please try again in a few minutes.",
    ),
    "export_all_periods": ("mọi kỳ đến nay", "every period so far"),
    "export_no_periods": (
        "Đợt thi đua chưa có kỳ báo cáo nào, chưa có gì để xuất.",
        "The campaign has no reporting period yet: nothing to export.",
    ),
    "sheet_reports": ("Báo cáo", "Reports"),
    "sheet_completeness": ("Đầy đủ, đúng hạn", "Completeness"),
    "sheet_standings": ("Xếp hạng", "Standings"),
    "sheet_deliverables": ("Sản phẩm", "Deliverables"),
    "col_unit_code": ("Mã đơn vị", "Unit code"),
    "col_unit": ("Đơn vị", "Unit"),
    "col_unit_kind": ("Loại đơn vị", "Unit kind"),
    "col_block": ("Khối thi đua", "Block"),
    "col_cluster": ("Cụm thi đua", "Cluster"),
    "col_indicator_number": ("Số chỉ tiêu", "Target no."),
    "col_indicator": ("Chỉ tiêu", "Indicator"),
    "col_measure": ("Đơn vị tính", "Unit of measure"),
    "col_period": ("Kỳ báo cáo", "Period"),
    "col_value": ("Giá trị", "Value"),
    "col_revision": ("Lần gửi", "Revision"),
    "col_current": ("Giá trị hiện hành", "Current"),
    "col_reason": ("Lý do sửa", "Reason for the change"),
    "col_note": ("Ghi chú", "Note"),
    "col_person": ("Người gửi", "Submitted by"),
    "col_channel": ("Kênh", "Channel"),
    "col_time": ("Thời gian gửi", "Time"),
    "col_timeliness": ("Đúng hạn / muộn", "On time / late"),
    "col_review": ("Trạng thái duyệt", "Review status"),
    "col_score": ("Tổng điểm", "Score"),
    "col_deliverable": ("Sản phẩm", "Deliverable"),
    "col_version": ("Phiên bản", "Version"),
    "col_file": ("Tệp", "File"),
    "col_review_note": ("Ghi chú khi duyệt", "Review note"),
    "col_target_points": ("Điểm chỉ tiêu", "Target points"),
    "col_organising_points": ("Điểm tổ chức", "Organising points"),
    "col_bonus": ("Điểm thưởng", "Bonus"),
    "col_rank_group": ("Hạng trong khối, cụm", "Rank in block or cluster"),
    "col_rank_province": ("Hạng toàn tỉnh", "Rank in the province"),
    "col_deadline": ("Hạn nộp", "Deadline"),
    "col_expected": ("Chỉ tiêu được giao", "Indicators assigned"),
    "col_received": ("Đã báo cáo", "Reported"),
    "col_completeness": ("Tỷ lệ đầy đủ", "Completeness"),
    "col_on_time": ("Báo cáo đúng hạn", "Reported on time"),
    "col_timely": ("Tỷ lệ đúng hạn", "Timeliness"),
    "cell_yes": ("Có", "Yes"),
    "cell_no": ("Không", "No"),
    "cell_on_time": ("Đúng hạn", "On time"),
    "cell_late": ("Muộn", "Late"),
    "unit_kind_department": ("Sở", "Department"),
    "unit_kind_agency": ("Cơ quan, ngành", "Agency"),
    "unit_kind_commune": ("Xã", "Commune"),
    "unit_kind_ward": ("Phường", "Ward"),
    "unit_kind_enterprise": ("Doanh nghiệp", "Enterprise"),
}


def language_of(code: str | None) -> str:
    """The bot speaks English to people whose app is in English, Vietnamese to everyone else."""
    return "en" if code and code.lower().startswith("en") else "vi"


def t(lang: str, key: str, **values: Any) -> str:
    vi, en = _TEXTS[key]
    return (en if lang == "en" else vi).format(**values)
