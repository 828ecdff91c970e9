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
