<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>CounterScreenWindow</name>
    <message>
        <source>Counter</source>
        <translation>الكاونتر</translation>
    </message>
    <message>
        <source>Reconnecting to the centre…</source>
        <translation>جارٍ إعادة الاتصال بالمركز…</translation>
    </message>
    <message>
        <source>This counter is closed</source>
        <translation>هذا الكاونتر مغلق</translation>
    </message>
    <message>
        <source>Please wait for your number</source>
        <translation>يرجى انتظار رقمك</translation>
    </message>
    <message>
        <source>Now serving</source>
        <translation>قيد الخدمة الآن</translation>
    </message>
    <message>
        <source>Please come to this counter</source>
        <translation>يرجى التقدم إلى هذا الكاونتر</translation>
    </message>
</context>
<context>
    <name>CounterViewModel</name>
    <message>
        <source>Nobody is waiting for this counter.</source>
        <extracomment>Keys, fixed so clerks learn them once; F7 is the one pressed hundreds of times a day. Opens a closed counter, closes an open one.</extracomment>
        <translation>لا يوجد أحد في الانتظار لهذا الكاونتر.</translation>
    </message>
    <message>
        <source>Another terminal has just called a ticket here.</source>
        <translation>نودي للتو على تذكرة إلى هذا الكاونتر من جهاز آخر.</translation>
    </message>
    <message>
        <source>Ticket %1 was already dealt with at another terminal.</source>
        <translation>تم التعامل مع التذكرة %1 من جهاز آخر.</translation>
    </message>
    <message>
        <source>The centre&apos;s database cannot be reached. Try again in a moment.</source>
        <translation>تعذّر الوصول إلى قاعدة بيانات المركز. حاول مرة أخرى بعد لحظات.</translation>
    </message>
    <message>
        <source>There is no ticket at this counter now.</source>
        <translation>لا توجد تذكرة على هذا الكاونتر الآن.</translation>
    </message>
    <message>
        <source>Finish ticket %1 first: done, no-show or transfer.</source>
        <translation>أنهِ التذكرة %1 أولاً: إنهاء أو لم يحضر أو تحويل.</translation>
    </message>
    <message>
        <source>%1 is paused: it takes no tickets now.</source>
        <translation>خدمة «%1» متوقفة مؤقتًا: لا تستقبل تذاكر الآن.</translation>
    </message>
    <message>
        <source>There is no such service here.</source>
        <translation>لا توجد هذه الخدمة هنا.</translation>
    </message>
    <message>
        <source>There is no counter %1 here.</source>
        <translation>لا يوجد كاونتر رقم %1 هنا.</translation>
    </message>
    <message>
        <source>The centre&apos;s rules do not allow this now.</source>
        <translation>لا تسمح أنظمة المركز بهذا الإجراء الآن.</translation>
    </message>
    <message>
        <source>That is not valid here.</source>
        <translation>هذا الإدخال غير صالح هنا.</translation>
    </message>
    <message>
        <source>That did not work. Try again.</source>
        <translation>لم تنجح العملية. حاول مرة أخرى.</translation>
    </message>
    <message>
        <source>Ticket %1 is being served: it can no longer be recalled.</source>
        <translation>التذكرة %1 قيد الخدمة: لا يمكن إعادة النداء عليها.</translation>
    </message>
    <message>
        <source>Ticket %1 is already being served.</source>
        <translation>التذكرة %1 قيد الخدمة بالفعل.</translation>
    </message>
    <message>
        <source>Start serving ticket %1 before marking it done.</source>
        <translation>ابدأ خدمة التذكرة %1 قبل إنهائها.</translation>
    </message>
    <message>
        <source>Ticket %1 is being served: it cannot be a no-show.</source>
        <translation>التذكرة %1 قيد الخدمة: لا يمكن تسجيلها عدم حضور.</translation>
    </message>
    <message>
        <source>Ticket %1 cannot be transferred to that service.</source>
        <translation>لا يمكن تحويل التذكرة %1 إلى تلك الخدمة.</translation>
    </message>
    <message>
        <source>Ticket %1 cannot do that now.</source>
        <translation>لا يمكن تنفيذ هذا الإجراء على التذكرة %1 الآن.</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <source>Taboor — counter %1</source>
        <translation>طابور — الكاونتر %1</translation>
    </message>
    <message>
        <source>Counter %1</source>
        <translation>الكاونتر %1</translation>
    </message>
    <message>
        <source>Current ticket</source>
        <translation>التذكرة الحالية</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>الموعد</translation>
    </message>
    <message>
        <source>Waiting for this counter:</source>
        <translation>في الانتظار لهذا الكاونتر:</translation>
    </message>
    <message>
        <source>Call next</source>
        <translation>نداء التالي</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>إعادة النداء</translation>
    </message>
    <message>
        <source>Start serving</source>
        <translation>بدء الخدمة</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>إنهاء</translation>
    </message>
    <message>
        <source>No-show</source>
        <translation>لم يحضر</translation>
    </message>
    <message>
        <source>Done and call next</source>
        <translation>إنهاء ونداء التالي</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>تحويل…</translation>
    </message>
    <message>
        <source>Offline: reconnecting…</source>
        <translation>غير متصل: جارٍ إعادة الاتصال…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>مفتوح</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>مغلق</translation>
    </message>
    <message>
        <source>Serving</source>
        <translation>قيد الخدمة</translation>
    </message>
    <message>
        <source>Calling</source>
        <translation>جارٍ النداء</translation>
    </message>
    <message>
        <source>No ticket. Press F1 to call the next visitor.</source>
        <translation>لا توجد تذكرة. اضغط F1 لنداء المراجع التالي.</translation>
    </message>
    <message>
        <source>The counter is closed. F8 opens it; F1 opens it and calls.</source>
        <translation>الكاونتر مغلق. F8 يفتحه، وF1 يفتحه وينادي.</translation>
    </message>
    <message>
        <source>Being served</source>
        <translation>قيد الخدمة</translation>
    </message>
    <message>
        <source>Called, waiting for the visitor</source>
        <translation>تم النداء، بانتظار المراجع</translation>
    </message>
    <message>
        <source>Called again (%1), waiting for the visitor</source>
        <translation>أُعيد النداء (%1)، بانتظار المراجع</translation>
    </message>
    <message>
        <source>Check the visitor&apos;s booking before serving</source>
        <translation>تحقق من حجز المراجع قبل تقديم الخدمة</translation>
    </message>
    <message>
        <source>Checked in while the central system was unreachable; no booking was found.</source>
        <translation>سُجّل الحضور أثناء انقطاع الاتصال بالنظام المركزي، ولم يُعثر على حجز.</translation>
    </message>
    <message>
        <source>Booking %1, from %2 to %3</source>
        <translation>الحجز %1، من %2 إلى %3</translation>
    </message>
    <message>
        <source>CPR %1</source>
        <translation>الرقم الشخصي %1</translation>
    </message>
    <message>
        <source>Open counter</source>
        <translation>فتح الكاونتر</translation>
    </message>
    <message>
        <source>Close counter</source>
        <translation>إغلاق الكاونتر</translation>
    </message>
    <message>
        <source>%1: %2 waiting, about %3 min</source>
        <translation>%1: %2 في الانتظار، حوالي %3 دقيقة</translation>
    </message>
    <message>
        <source>%1: %2 waiting</source>
        <translation>%1: %2 في الانتظار</translation>
    </message>
    <message>
        <source>Please wait…</source>
        <translation>يرجى الانتظار…</translation>
    </message>
</context>
<context>
    <name>HallWindow</name>
    <message>
        <source>Now calling</source>
        <translation>النداء الحالي</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>الكاونتر</translation>
    </message>
    <message>
        <source>Last calls</source>
        <translation>النداءات السابقة</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>التذكرة</translation>
    </message>
    <message>
        <source>Reconnecting to the centre… numbers may be late</source>
        <translation>جارٍ إعادة الاتصال بالمركز… قد تتأخر الأرقام</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>في الانتظار</translation>
    </message>
    <message>
        <source>paused for now</source>
        <translation>متوقفة مؤقتًا</translation>
    </message>
    <message>
        <source>no wait</source>
        <translation>بدون انتظار</translation>
    </message>
    <message>
        <source>about %1 min</source>
        <translation>حوالي %1 دقيقة</translation>
    </message>
</context>
<context>
    <name>Kiosk</name>
    <message>
        <source>Welcome. How can we help you?</source>
        <extracomment>The least size of anything a finger presses: 15 mm, never under this many pixels.</extracomment>
        <translation>أهلاً بكم. كيف يمكننا مساعدتكم؟</translation>
    </message>
    <message>
        <source>I have an appointment</source>
        <translation>لدي موعد</translation>
    </message>
    <message>
        <source>Take a ticket</source>
        <translation>أخذ تذكرة</translation>
    </message>
    <message>
        <source>Or scan your booking QR code at any time</source>
        <translation>أو امسح رمز QR الخاص بحجزك في أي وقت</translation>
    </message>
    <message>
        <source>Standard view</source>
        <translation>العرض العادي</translation>
    </message>
    <message>
        <source>Larger text and easier reach</source>
        <translation>خط أكبر ووصول أسهل</translation>
    </message>
    <message>
        <source>One moment please…</source>
        <translation>لحظة من فضلك…</translation>
    </message>
    <message>
        <source>Type your CPR number</source>
        <translation>أدخل رقمك الشخصي</translation>
    </message>
    <message>
        <source>9 digits, as on your identity card</source>
        <translation>٩ أرقام، كما في بطاقة الهوية</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>مسح</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>رجوع</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>تسجيل الحضور</translation>
    </message>
    <message>
        <source>You have several appointments today. Choose one:</source>
        <translation>لديك أكثر من موعد اليوم. اختر موعداً:</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 الساعة %2</translation>
    </message>
    <message>
        <source>We cannot reach the booking system just now. Choose the service of your appointment:</source>
        <translation>يتعذر الوصول إلى نظام المواعيد حالياً. اختر خدمة موعدك:</translation>
    </message>
    <message>
        <source>Choose a service</source>
        <translation>اختر الخدمة</translation>
    </message>
    <message>
        <source>%1
No more tickets today</source>
        <translation>%1
انتهت تذاكر اليوم</translation>
    </message>
    <message>
        <source>%1
Paused for now</source>
        <translation>%1
متوقفة مؤقتاً</translation>
    </message>
    <message>
        <source>Priority service (optional):</source>
        <translation>خدمة الأولوية (اختياري):</translation>
    </message>
    <message>
        <source>No priority</source>
        <translation>بدون أولوية</translation>
    </message>
    <message>
        <source>Elderly</source>
        <translation>كبار السن</translation>
    </message>
    <message>
        <source>Disability</source>
        <translation>ذوو الإعاقة</translation>
    </message>
    <message>
        <source>Pregnant</source>
        <translation>الحوامل</translation>
    </message>
    <message>
        <source>Your number</source>
        <translation>رقمك</translation>
    </message>
    <message>
        <source>People ahead of you: %1 · Estimated wait: %2 min</source>
        <translation>عدد المنتظرين قبلك: %1 · مدة الانتظار المتوقعة: %2 دقيقة</translation>
    </message>
    <message>
        <source>People ahead of you: %1</source>
        <translation>عدد المنتظرين قبلك: %1</translation>
    </message>
    <message>
        <source>Please take a seat and watch the screen for your number.</source>
        <translation>تفضل بالجلوس وتابع ظهور رقمك على الشاشة.</translation>
    </message>
    <message>
        <source>The printer is not working. Photograph this number and code and keep it.</source>
        <translation>الطابعة لا تعمل. صوّر هذا الرقم والرمز واحتفظ بهما.</translation>
    </message>
    <message>
        <source>Your ticket is printing below.</source>
        <translation>تُطبع تذكرتك في الأسفل.</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>تم</translation>
    </message>
    <message>
        <source>Take a walk-in ticket</source>
        <translation>أخذ تذكرة بدون موعد</translation>
    </message>
    <message>
        <source>Back to start</source>
        <translation>العودة إلى البداية</translation>
    </message>
    <message>
        <source>The centre is closed now</source>
        <translation>المركز مغلق الآن</translation>
    </message>
    <message>
        <source>We open on %1 at %2.</source>
        <translation>نفتح يوم %1 الساعة %2.</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>الرقم السري للموظفين</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>موافق</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>الاثنين</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>الثلاثاء</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>الأربعاء</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>الخميس</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>الجمعة</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>السبت</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>الأحد</translation>
    </message>
</context>
<context>
    <name>KioskMessages</name>
    <message>
        <source>Something went wrong. Please ask at the reception desk.</source>
        <translation>حدث خطأ. يرجى مراجعة مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>You are early: check-in for your appointment opens at %1.</source>
        <translation>حضرت مبكراً: يبدأ تسجيل الحضور لموعدك الساعة %1.</translation>
    </message>
    <message>
        <source>Your appointment time has passed: you can take a walk-in ticket for the same service.</source>
        <translation>فات وقت موعدك: يمكنك أخذ تذكرة بدون موعد للخدمة نفسها.</translation>
    </message>
    <message>
        <source>Your appointment is on %1, not today.</source>
        <translation>موعدك بتاريخ %1 وليس اليوم.</translation>
    </message>
    <message>
        <source>You have already checked in: your ticket is %1.</source>
        <translation>سبق أن سجلت حضورك: رقم تذكرتك %1.</translation>
    </message>
    <message>
        <source>This appointment was cancelled. You can take a walk-in ticket.</source>
        <translation>تم إلغاء هذا الموعد. يمكنك أخذ تذكرة بدون موعد.</translation>
    </message>
    <message>
        <source>We found no appointment for you here today. You can take a walk-in ticket.</source>
        <translation>لم نجد لك موعداً هنا اليوم. يمكنك أخذ تذكرة بدون موعد.</translation>
    </message>
    <message>
        <source>This service is paused for now. Please ask at the reception desk.</source>
        <translation>هذه الخدمة متوقفة مؤقتاً. يرجى مراجعة مكتب الاستقبال.</translation>
    </message>
    <message>
        <source>This service has given all its tickets for today.</source>
        <translation>نفدت تذاكر هذه الخدمة لهذا اليوم.</translation>
    </message>
    <message>
        <source>A CPR number has 9 digits. Please check it.</source>
        <translation>الرقم الشخصي مكوّن من ٩ أرقام. يرجى التحقق منه.</translation>
    </message>
    <message>
        <source>This code is not a booking. Please scan your booking QR.</source>
        <translation>هذا الرمز ليس حجزاً. يرجى مسح رمز QR الخاص بحجزك.</translation>
    </message>
    <message>
        <source>You have several appointments: please choose one.</source>
        <translation>لديك أكثر من موعد: يرجى اختيار موعد.</translation>
    </message>
    <message>
        <source>A CPR number has 9 digits. Please type all of them.</source>
        <translation>الرقم الشخصي مكوّن من ٩ أرقام. يرجى إدخالها كلها.</translation>
    </message>
    <message>
        <source>The code could not be read. Please scan your booking QR again.</source>
        <translation>تعذرت قراءة الرمز. يرجى مسح رمز QR الخاص بحجزك مرة أخرى.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>رقم سري خاطئ.</translation>
    </message>
</context>
<context>
    <name>TransferChooser</name>
    <message>
        <source>Send the ticket to which service?</source>
        <translation>إلى أي خدمة تُحوَّل التذكرة؟</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>تحويل</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
</context>
</TS>
